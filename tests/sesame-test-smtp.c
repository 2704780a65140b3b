/* sesame-test-smtp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sesame-mail-message.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

#define PYTHON "/usr/bin/python3"

static char *
script_path (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "smtp-server.py", NULL);
  return g_test_build_filename (G_TEST_DIST, "smtp-server.py", NULL);
}

static void
launch (SesameTestSmtpServer *server)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GDataInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *script = script_path ();
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  g_autofree char *line = NULL;

  g_strv_builder_add_many (builder, PYTHON, script, "--dir", server->dir, "--port", port,
                           "--exit-on-eof", NULL);
  g_strv_builder_addv (builder, (const char **) server->args);
  argv = g_strv_builder_end (builder);

  server->process = g_subprocess_newv ((const char * const *) argv,
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                                       &error);
  g_assert_no_error (error);

  input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "READY "));

  words = g_strsplit (line, " ", 3);
  server->port = (guint) g_ascii_strtoull (words[1], NULL, 10);
  g_free (server->cert);
  server->cert = g_strdup (words[2]);
  g_assert_cmpuint (server->port, >, 0);
}

SesameTestSmtpServer *
sesame_test_smtp_server_startv (const char * const *args,
                                guint               port)
{
  SesameTestSmtpServer *server = g_new0 (SesameTestSmtpServer, 1);

  server->dir = sesame_test_make_tmpdir ();
  server->port = port;
  server->args = g_strdupv ((char **) args);
  launch (server);
  return server;
}

static char **
collect_args (const char *first_arg,
              va_list     ap)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  return g_strv_builder_end (builder);
}

SesameTestSmtpServer *
sesame_test_smtp_server_start (const char *first_arg,
                               ...)
{
  g_auto(GStrv) args = NULL;
  va_list ap;

  va_start (ap, first_arg);
  args = collect_args (first_arg, ap);
  va_end (ap);
  return sesame_test_smtp_server_startv ((const char * const *) args, 0);
}

void
sesame_test_smtp_server_restart (SesameTestSmtpServer *server,
                                 const char           *first_arg,
                                 ...)
{
  va_list ap;

  sesame_test_smtp_server_stop (server);
  g_strfreev (server->args);
  va_start (ap, first_arg);
  server->args = collect_args (first_arg, ap);
  va_end (ap);
  launch (server);
}

gboolean
sesame_test_smtp_server_is_running (SesameTestSmtpServer *server)
{
  if (server->process == NULL)
    return FALSE;
  return g_subprocess_get_identifier (server->process) != NULL;
}

void
sesame_test_smtp_server_stop (SesameTestSmtpServer *server)
{
  if (server->process == NULL)
    return;
  if (g_subprocess_get_identifier (server->process) != NULL)
    g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

void
sesame_test_smtp_server_free (SesameTestSmtpServer *server)
{
  if (server == NULL)
    return;
  sesame_test_smtp_server_stop (server);
  sesame_test_remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->cert);
  g_strfreev (server->args);
  g_free (server);
}

SesameSmtpSettings *
sesame_test_smtp_server_settings (SesameTestSmtpServer *server)
{
  SesameSmtpSettings *settings = sesame_smtp_settings_new ();
  SesameSmtpSecurity security = SESAME_SMTP_SECURITY_STARTTLS;

  for (guint i = 0; server->args[i] != NULL; i++)
    if (g_str_equal (server->args[i], "--tls") && server->args[i + 1] != NULL)
      {
        if (g_str_equal (server->args[i + 1], "implicit"))
          security = SESAME_SMTP_SECURITY_TLS;
        else if (g_str_equal (server->args[i + 1], "none"))
          security = SESAME_SMTP_SECURITY_NONE;
      }

  sesame_smtp_settings_set_host (settings, "127.0.0.1");
  sesame_smtp_settings_set_port (settings, server->port);
  sesame_smtp_settings_set_security (settings, security);
  sesame_smtp_settings_set_user (settings, SESAME_TEST_SMTP_USER);
  sesame_smtp_settings_set_from_address (settings, "ce.0740017s@ac-grenoble.example.org");
  sesame_smtp_settings_set_from_name (settings, "Collège Les Aravis");
  sesame_smtp_settings_set_rate (settings, 0);
  return settings;
}

GPtrArray *
sesame_test_smtp_server_read_log (SesameTestSmtpServer *server)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *path = g_build_filename (server->dir, "log.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_steal_pointer (&entries);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      /* The last line may be half written. */
      if (lines[i][0] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, &error))
        continue;
      g_ptr_array_add (entries, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }
  return g_steal_pointer (&entries);
}

guint
sesame_test_smtp_server_count (SesameTestSmtpServer *server)
{
  g_autoptr(GPtrArray) entries = sesame_test_smtp_server_read_log (server);
  return entries->len;
}

gboolean
sesame_test_smtp_server_wait_count (SesameTestSmtpServer *server,
                                    guint                 count,
                                    guint                 timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (sesame_test_smtp_server_count (server) < count)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (10000);
    }
  return TRUE;
}

GMimeMessage *
sesame_test_smtp_server_parse (SesameTestSmtpServer *server,
                               const char           *file)
{
  g_autofree char *path = g_build_filename (server->dir, file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  gsize len;

  sesame_mail_init ();
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  stream = g_mime_stream_mem_new_with_buffer (contents, len);
  parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_message (parser, NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
sesame_test_smtp_server_recipients (SesameTestSmtpServer *server)
{
  g_autoptr(GPtrArray) entries = sesame_test_smtp_server_read_log (server);
  GPtrArray *recipients = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < entries->len; i++)
    {
      JsonArray *to = json_object_get_array_member (g_ptr_array_index (entries, i), "to");

      for (guint j = 0; j < json_array_get_length (to); j++)
        g_ptr_array_add (recipients, g_strdup (json_array_get_string_element (to, j)));
    }
  g_ptr_array_sort (recipients, compare_strings);
  return recipients;
}
