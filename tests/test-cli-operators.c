/* test-cli-operators.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Operators from the command line: sesamectl operator setup, enrol, invite
 * and list, the enrolment code of roles grant, and --as with a passphrase,
 * through the real sesamectl, with their exit codes.
 */
/* posix_openpt() and ptsname() for the test of the terminal prompt. */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sesame.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

#define HEAD_PASSPHRASE "le col des Aravis en hiver"
#define LUC_PASSPHRASE "trois craies et un tableau"

typedef SesameTestFixture Fixture;

typedef SesameTestRun Run;

/* Runs sesamectl --store STORE [--as OPERATOR] ARGS… with STDIN, and
 * SESAME_PASSPHRASE set to PASSPHRASE (unset for NULL), without a
 * controlling terminal, as under cron. */
static void
run_ctl (Fixture    *fixture,
         Run        *run,
         const char *operator,
         const char *passphrase,
         const char *input,
         ...)
{
  const char *env[] = { "SESAME_PASSPHRASE", passphrase, NULL };
  SesameTestCtl ctl = { .store = fixture->store_path, .operator = operator, .input = input,
                        .env = env, .leave_terminal = TRUE };
  va_list args;

  va_start (args, input);
  sesame_test_ctl_run_va (&ctl, run, args);
  va_end (args);
}

/* The code in "Enrolment code for LOGIN (NAME): CODE". */
static char *
find_code (const char *out)
{
  g_autoptr(GRegex) regex = g_regex_new ("Enrolment code for [a-z.]+ \\(.*\\): ([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\n",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, out, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static void
set_up_head (Fixture *fixture)
{
  Run run = { 0 };

  run_ctl (fixture, &run, NULL, NULL, HEAD_PASSPHRASE "\n" HEAD_PASSPHRASE "\n", "operator", "setup", "helene.roche", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
}

static void
test_setup (Fixture       *fixture,
            gconstpointer  data)
{
  Run run = { 0 };

  /* 2: no passphrase on stdin, or no login. */
  run_ctl (fixture, &run, NULL, NULL, "", "operator", "setup", "helene.roche", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "twice"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "", "operator", "setup", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);

  /* 1: two different passphrases, a weak one, a pupil. */
  run_ctl (fixture, &run, NULL, NULL, HEAD_PASSPHRASE "\nune autre phrase\n", "operator", "setup", "helene.roche", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "differ"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "court\ncourt\n", "operator", "setup", "helene.roche", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "at least 10"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, HEAD_PASSPHRASE "\n" HEAD_PASSPHRASE "\n", "operator", "setup", "jean.dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* 0, and she signs in with it at once. */
  run_ctl (fixture, &run, NULL, NULL, HEAD_PASSPHRASE "\n" HEAD_PASSPHRASE "\n", "operator", "setup", "helene.roche", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "administrator"));
  g_assert_null (strstr (run.out, HEAD_PASSPHRASE));
  g_assert_null (strstr (run.err, HEAD_PASSPHRASE));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "helene.roche", HEAD_PASSPHRASE, NULL, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  /* Once only. */
  run_ctl (fixture, &run, NULL, NULL, "une autre phrase\nune autre phrase\n", "operator", "setup", "sophie.garnier", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "already set up"));
  sesame_test_run_clear (&run);
}

static void
test_grant_and_enrol (Fixture       *fixture,
                      gconstpointer  data)
{
  Run run = { 0 };
  g_autofree char *code = NULL;
  g_autofree char *input = NULL;

  set_up_head (fixture);

  /* Granting the role prints the enrolment code, on stdout. */
  run_ctl (fixture, &run, "helene.roche", HEAD_PASSPHRASE, NULL, "roles", "grant", "luc.bernard", "--scope", "classes", NULL);
  g_assert_cmpint (run.status, ==, 0);
  code = find_code (run.out);
  g_assert_nonnull (code);
  g_assert_nonnull (strstr (run.out, "Luc BERNARD"));
  g_assert_nonnull (strstr (run.out, "operator enrol luc.bernard"));
  sesame_test_run_clear (&run);

  /* Before he enrols, he cannot sign in. */
  run_ctl (fixture, &run, "luc.bernard", LUC_PASSPHRASE, NULL, "search", "dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* 2: the input stops short. 1: a wrong code. */
  run_ctl (fixture, &run, NULL, NULL, "", "operator", "enrol", "luc.bernard", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "2345-6789-ABCD\n" LUC_PASSPHRASE "\n" LUC_PASSPHRASE "\n", "operator", "enrol", "luc.bernard", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not the one given"));
  sesame_test_run_clear (&run);

  /* 0: the code, then the passphrase twice. */
  input = g_strdup_printf ("%s\n%s\n%s\n", code, LUC_PASSPHRASE, LUC_PASSPHRASE);
  run_ctl (fixture, &run, NULL, NULL, input, "operator", "enrol", "luc.bernard", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "passphrase is set"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "luc.bernard", LUC_PASSPHRASE, NULL, "search", "dupont", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  /* 1: the code again. */
  run_ctl (fixture, &run, NULL, NULL, input, "operator", "enrol", "luc.bernard", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "already used"));
  sesame_test_run_clear (&run);
}

static void
test_invite_and_list (Fixture       *fixture,
                      gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) invite = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *old_code = NULL;
  g_autofree char *input = NULL;
  JsonObject *object;
  JsonArray *array;
  gboolean seen_luc = FALSE, seen_head = FALSE;

  set_up_head (fixture);
  run_ctl (fixture, &run, "helene.roche", HEAD_PASSPHRASE, NULL, "roles", "grant", "luc.bernard", NULL);
  old_code = find_code (run.out);
  g_assert_nonnull (old_code);
  sesame_test_run_clear (&run);

  /* 1: someone without a role. 2: no login. */
  run_ctl (fixture, &run, "helene.roche", HEAD_PASSPHRASE, NULL, "operator", "invite", "marc.faure", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "roles grant marc.faure"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, NULL, "operator", "invite", "--json", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);

  /* A new code, in JSON; the one before stops working. */
  run_ctl (fixture, &run, "helene.roche", HEAD_PASSPHRASE, NULL, "operator", "invite", "luc.bernard", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  invite = sesame_test_parse_json (run.out);
  object = json_node_get_object (invite);
  g_assert_cmpstr (json_object_get_string_member (object, "login"), ==, "luc.bernard");
  g_assert_true (g_regex_match_simple ("^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$",
                                       json_object_get_string_member (object, "code"), 0, 0));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "expires_at"), "Z"));
  g_assert_cmpstr (json_object_get_string_member (object, "code"), !=, old_code);
  sesame_test_run_clear (&run);
  input = g_strdup_printf ("%s\n%s\n%s\n", old_code, LUC_PASSPHRASE, LUC_PASSPHRASE);
  run_ctl (fixture, &run, NULL, NULL, input, "operator", "enrol", "luc.bernard", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "replaced"));
  sesame_test_run_clear (&run);

  /* Who has a passphrase, who has a code waiting: never the code. */
  run_ctl (fixture, &run, NULL, NULL, NULL, "operator", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, json_object_get_string_member (object, "code")));
  list = sesame_test_parse_json (run.out);
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      const char *login = json_object_get_string_member (entry, "login");

      g_assert_false (json_object_has_member (entry, "code"));
      if (g_str_equal (login, "luc.bernard"))
        {
          seen_luc = TRUE;
          g_assert_cmpstr (json_object_get_string_member (entry, "role"), ==, "manager");
          g_assert_false (json_object_get_boolean_member (entry, "passphrase"));
          g_assert_true (json_object_get_boolean_member (entry, "code_pending"));
          g_assert_cmpstr (json_object_get_string_member (entry, "code_expires_at"), ==,
                           json_object_get_string_member (object, "expires_at"));
          g_assert_true (json_object_get_null_member (entry, "last_sign_in_at"));
        }
      else if (g_str_equal (login, "helene.roche"))
        {
          seen_head = TRUE;
          g_assert_cmpstr (json_object_get_string_member (entry, "role"), ==, "admin");
          g_assert_true (json_object_get_boolean_member (entry, "passphrase"));
          g_assert_false (json_object_get_boolean_member (entry, "code_pending"));
          g_assert_nonnull (json_object_get_string_member (entry, "last_sign_in_at"));
        }
    }
  g_assert_true (seen_luc && seen_head);
  sesame_test_run_clear (&run);

  /* The same for people, and only for administrators. */
  run_ctl (fixture, &run, NULL, NULL, NULL, "operator", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "code waiting"));
  g_assert_nonnull (strstr (run.out, "passphrase set"));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, NULL, "operator", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "setup"));
  g_assert_nonnull (strstr (run.out, "enrol"));
  g_assert_nonnull (strstr (run.out, "invite"));
  g_assert_nonnull (strstr (run.out, "list"));
  sesame_test_run_clear (&run);
}

static void
test_as (Fixture       *fixture,
         gconstpointer  data)
{
  g_autoptr(JsonNode) audit = NULL;
  Run run = { 0 };
  JsonArray *array;
  gboolean owner_named = FALSE;

  set_up_head (fixture);

  /* 1: a wrong passphrase, none at all, an unknown login. */
  run_ctl (fixture, &run, "helene.roche", "pas la bonne phrase", NULL, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "passphrase is wrong"));
  g_assert_cmpstr (run.out, ==, "");
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "helene.roche", NULL, NULL, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "SESAME_PASSPHRASE"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "nobody.here", HEAD_PASSPHRASE, NULL, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* 0 with the right one. */
  run_ctl (fixture, &run, "helene.roche", HEAD_PASSPHRASE, NULL, "settings", "set", "ent-name", "ENT74", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  /* Without --as, the owner of the file acts and the audit says so. */
  run_ctl (fixture, &run, NULL, NULL, NULL, "settings", "set", "ent-name", "ENT Haute-Savoie", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, NULL, "audit", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  audit = sesame_test_parse_json (run.out);
  array = json_node_get_array (audit);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      g_autofree char *owner = g_strdup_printf ("store owner (%s)", g_get_user_name ());

      if (g_str_equal (json_object_get_string_member (entry, "action"), "setting") &&
          g_str_equal (json_object_get_string_member (entry, "operator"), owner))
        owner_named = TRUE;
      /* Refusals are audited; a passphrase never is. */
      g_assert_null (strstr (json_object_get_string_member (entry, "target"), "phrase"));
    }
  g_assert_true (owner_named);
  g_assert_null (strstr (run.out, "pas la bonne phrase"));
  g_assert_nonnull (strstr (run.out, "operator-sign-in-refused"));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "SESAME_PASSPHRASE"));
  g_assert_nonnull (strstr (run.out, "operator"));
  sesame_test_run_clear (&run);
}

/* The child's controlling terminal: the slave side of a pseudo-terminal. */
static void
take_terminal (gpointer data)
{
  int fd;

  setsid ();
  fd = open (data, O_RDWR);
  if (fd >= 0)
    ioctl (fd, TIOCSCTTY, 0);
}

/* Reads what the terminal shows until TEXT appears or 10 s pass. */
static void
read_terminal (int         master,
               GString    *shown,
               const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  char buffer[256];

  while ((text == NULL || strstr (shown->str, text) == NULL) && g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { master, POLLIN, 0 };
      gssize n;

      if (poll (&pfd, 1, 100) <= 0)
        {
          if (text == NULL)
            return;
          continue;
        }
      n = read (master, buffer, sizeof buffer);
      if (n <= 0)
        return;
      g_string_append_len (shown, buffer, n);
    }
}

/* --as asks on the terminal, without echo, and leaves stdin alone. */
static void
test_as_terminal (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *ctl = g_getenv ("SESAMECTL");
  char *slave;
  int master;

  set_up_head (fixture);

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = ptsname (master);
  g_assert_nonnull (slave);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "SESAME_PASSPHRASE");
  g_subprocess_launcher_set_child_setup (launcher, take_terminal, g_strdup (slave), g_free);
  process = g_subprocess_launcher_spawn (launcher, &error, ctl, "--store", fixture->store_path,
                                         "--as", "helene.roche", "settings", "list", NULL);
  g_assert_no_error (error);

  read_terminal (master, shown, "Operator passphrase for helene.roche: ");
  g_assert_nonnull (strstr (shown->str, "Operator passphrase for helene.roche: "));
  g_assert_cmpint (write (master, HEAD_PASSPHRASE "\n", strlen (HEAD_PASSPHRASE) + 1), ==, strlen (HEAD_PASSPHRASE) + 1);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  read_terminal (master, shown, NULL);
  close (master);

  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "ent-name"));
  /* Typed, never shown. */
  g_assert_null (strstr (shown->str, HEAD_PASSPHRASE));
  g_assert_null (strstr (out, HEAD_PASSPHRASE));
  g_assert_null (strstr (err, HEAD_PASSPHRASE));
}

static void
test_throttle (Fixture       *fixture,
               gconstpointer  data)
{
  Run run = { 0 };

  set_up_head (fixture);
  for (guint i = 0; i < SESAME_SIGN_IN_FREE_FAILURES; i++)
    {
      run_ctl (fixture, &run, "helene.roche", "une mauvaise phrase", NULL, "files", "list", NULL);
      g_assert_cmpint (run.status, ==, 1);
      sesame_test_run_clear (&run);
    }
  /* A new process does not start the count again. */
  run_ctl (fixture, &run, "helene.roche", HEAD_PASSPHRASE, NULL, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Too many wrong attempts"));
  sesame_test_run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, sesame_test_fixture_set_up_closed, func, sesame_test_fixture_tear_down)

  ADD ("/sesame/cli/operator/setup", test_setup);
  ADD ("/sesame/cli/operator/grant-and-enrol", test_grant_and_enrol);
  ADD ("/sesame/cli/operator/invite-and-list", test_invite_and_list);
  ADD ("/sesame/cli/operator/as", test_as);
  ADD ("/sesame/cli/operator/as-terminal", test_as_terminal);
  ADD ("/sesame/cli/operator/throttle", test_throttle);

#undef ADD

  return g_test_run ();
}
