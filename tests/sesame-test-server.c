/* sesame-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the real sesame-server (SESAME_SERVER) for every test that
 * needs one on loopback (the server and its desks, imports and campaigns
 * run by the server, the desk's background sync, the window's pages on a
 * joined desk): one way to start it, read the address and fingerprint it
 * prints, enrol and join desks, stop it and start it again on the address
 * the desks pinned, so that a change to what the server prints is made
 * here once.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "sesame-test-ctl.h"
#include "sesame-test-server.h"

/* A test that fails must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Spawns the server on server->port and returns what it prints, its
 * first line read into @first. */
static GDataInputStream *
spawn (SesameTestServer  *server,
       char             **first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  GDataInputStream *lines;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* What it prints is read here, in English whatever the session's language. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  for (guint i = 0; server->env != NULL && server->env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (server->env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  server->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SESAME_SERVER"),
                                                 "--store", server->store_path, "--listen", listen, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  *first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  return lines;
}

static void
launch (SesameTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *first = NULL;

  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->fingerprint, g_free);
  /* A port just freed by a killed server may take a moment to bind: a
   * server that could not listen is tried again shortly. */
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      lines = spawn (server, &first);
      if (first != NULL && g_str_has_prefix (first, "Listening on https://127.0.0.1:"))
        break;
      g_assert_cmpuint (server->port, !=, 0);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
      g_clear_object (&lines);
      g_clear_pointer (&first, g_free);
      g_usleep (100 * 1000);
    }
  g_assert_nonnull (first);
  g_assert_true (g_str_has_prefix (first, "Listening on https://127.0.0.1:"));
  server->url = g_strdup (first + strlen ("Listening on "));
  if (g_str_has_suffix (server->url, "/"))
    server->url[strlen (server->url) - 1] = '\0';
  server->port = (guint16) g_ascii_strtoull (strrchr (server->url, ':') + 1, NULL, 10);
  /* Then a sentence, and the fingerprint on a line of its own. */
  for (guint i = 1; i < 3; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (i == 1)
        server->made_certificate = strstr (line, "made") != NULL;
      else
        server->fingerprint = g_steal_pointer (&line);
    }
  g_assert_nonnull (server->fingerprint);
  g_assert_cmpuint (server->port, !=, 0);
}

/**
 * sesame_test_server_start:
 * @server: a zeroed or stopped #SesameTestServer
 * @store_path: the server's store
 *
 * Starts sesame-server on a free port of 127.0.0.1, a new one each time.
 */
void
sesame_test_server_start (SesameTestServer *server,
                          const char       *store_path)
{
  char *path = g_strdup (store_path);

  g_assert_null (server->process);
  g_free (server->store_path);
  server->store_path = path;
  server->port = 0;
  launch (server);
}

/**
 * sesame_test_server_setenv:
 * @server: a zeroed or stopped #SesameTestServer
 * @name: an environment variable
 * @value: its value
 *
 * Sets @name in the server's environment, from its next start on: the
 * certificate of the test mail server, for instance.
 */
void
sesame_test_server_setenv (SesameTestServer *server,
                           const char       *name,
                           const char       *value)
{
  g_assert_null (server->process);
  server->env = g_environ_setenv (server->env, name, value, TRUE);
}

/**
 * sesame_test_server_stop:
 * @server: a started #SesameTestServer
 *
 * Stops the server as a service manager does, and checks it exited well.
 */
void
sesame_test_server_stop (SesameTestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
}

/**
 * sesame_test_server_kill:
 * @server: a started #SesameTestServer
 *
 * Kills the server with SIGKILL, wherever it is, as a power cut would.
 */
void
sesame_test_server_kill (SesameTestServer *server)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (server->process);
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);
}

/**
 * sesame_test_server_restart:
 * @server: a stopped #SesameTestServer
 *
 * Starts the server again on the port it had, where its desks look for it.
 */
void
sesame_test_server_restart (SesameTestServer *server)
{
  g_assert_null (server->process);
  launch (server);
}

/**
 * sesame_test_server_clear:
 * @server: a #SesameTestServer
 *
 * Stops the server if it runs and frees what @server holds.
 */
void
sesame_test_server_clear (SesameTestServer *server)
{
  sesame_test_server_stop (server);
  g_clear_pointer (&server->store_path, g_free);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->fingerprint, g_free);
  g_clear_pointer (&server->env, g_strfreev);
}

/**
 * sesame_test_server_add_desk:
 * @server: a started #SesameTestServer
 * @name: the desk's name
 *
 * Returns: (transfer full): the one-time code of `sesamectl desks add`
 */
char *
sesame_test_server_add_desk (SesameTestServer *server,
                             const char       *name)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  sesame_test_ctl_run_on (server->store_path, NULL, NULL, &run, "desks", "add", name, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, name);
  g_assert_true (json_object_has_member (object, "expires_at"));
  return g_strdup (json_object_get_string_member (object, "code"));
}

/**
 * sesame_test_server_join:
 * @server: a started #SesameTestServer
 * @name: the desk's name
 * @dir: where its store goes
 *
 * Enrols a desk and joins it with `sesamectl join`.
 *
 * Returns: (transfer full): the path of the desk's store
 */
char *
sesame_test_server_join (SesameTestServer *server,
                         const char       *name,
                         const char       *dir)
{
  g_auto(SesameTestRun) run = { 0 };
  g_autofree char *code = sesame_test_server_add_desk (server, name);
  g_autofree char *file = g_strdup_printf ("%s.db", name);
  char *path = g_build_filename (dir, file, NULL);

  sesame_test_ctl_run_on (path, NULL, NULL, &run, "join", server->url, "--code", code,
                          "--fingerprint", server->fingerprint, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  return path;
}
