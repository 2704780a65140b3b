/* test-cli-permissions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The permission matrix of sesame-test-permissions.c through the real
 * sesamectl: allowed is exit 0 (and the target listed), refused is exit 1
 * with a message, never a usage error. And a revocation made by sesamectl
 * on a computer whose clock is an hour behind, under Debian's faketime.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sesame.h"
#include "sesame-test-permissions.h"
#include "sesame-test-ctl.h"
#include "sesame-test-util.h"

typedef PermFixture Fixture;

typedef SesameTestRun Run;

/* Runs [PREFIX…] sesamectl --store STORE [--as LOGIN] ARGS…: the one place
 * where the command line names who acts. With sign-in, this is where the
 * operator's passphrase goes (SESAME_PASSPHRASE). */
static void
run_ctl (Run                *run,
         const char * const *prefix,
         const char         *store,
         PermOperator        op,
         const char * const *args)
{
  const char *env[] = {
    "SESAME_PASSPHRASE", op == OP_WRONG_PASSPHRASE ? "not the passphrase at all" : SESAME_TEST_PASSPHRASE,
    NULL
  };
  SesameTestCtl ctl = { .prefix = prefix, .store = store, .operator = perm_operator_login (op),
                        .input = "", .env = env, .allow_signal = TRUE };

  sesame_test_ctl_runv (&ctl, args, run);
}

/* The command line of an action; %TRUE in @listing when a refusal may be
 * an exit 0 that leaves the target out. */
static GStrv
action_args (Fixture    *fixture,
             const char *dir,
             PermAction  action,
             gboolean    in_b,
             char      **listed)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *uai = in_b ? PERM_UAI_B : PERM_UAI_A;
  const char *pupil = in_b ? PERM_PUPIL_B : PERM_PUPIL_A;
  const char *file = in_b ? fixture->file_b : fixture->file_a;
  g_autofree char *output = NULL;

  *listed = NULL;
  switch (action)
    {
    case ACT_SEARCH:
      g_strv_builder_add_many (builder, "search", "--login", pupil, "--json", NULL);
      *listed = g_strdup_printf ("\"%s\"", pupil);
      break;
    case ACT_SHOW:
      g_strv_builder_add_many (builder, "account", "show", pupil, NULL);
      break;
    case ACT_SET_LOGIN:
      g_strv_builder_add_many (builder, "account", "set-login", pupil, "renamed.pupil", NULL);
      break;
    case ACT_RESET_PASSWORD:
      g_strv_builder_add_many (builder, "account", "reset-password", pupil, NULL);
      break;
    case ACT_LETTERS:
      output = g_build_filename (dir, "letters.pdf", NULL);
      g_strv_builder_add_many (builder, "letters", "--output", output, "--login", pupil, NULL);
      break;
    case ACT_FILES_LIST:
      g_strv_builder_add_many (builder, "files", "list", "--json", NULL);
      *listed = g_strdup_printf ("\"%s\"", file);
      break;
    case ACT_FILES_GENERATE:
      g_strv_builder_add_many (builder, "files", "generate", "--establishment", uai, NULL);
      break;
    case ACT_FILES_EXPORT:
      output = g_build_filename (dir, "file.csv", NULL);
      g_strv_builder_add_many (builder, "files", "export", file, "--output", output, NULL);
      break;
    case ACT_FILES_DELETE:
      g_strv_builder_add_many (builder, "files", "delete", file, NULL);
      break;
    case ACT_IMPORT:
      g_strv_builder_add_many (builder, "import", "--dry-run", "--establishment", uai, fixture->import_path, NULL);
      break;
    case ACT_DIFFUSION:
      g_strv_builder_add_many (builder, "diffusion", "send", "--profile", "parent", "--establishment", uai,
                               "--dry-run", NULL);
      break;
    case ACT_ROLES_GRANT:
      g_strv_builder_add_many (builder, "roles", "grant", in_b ? PERM_STAFF_B : PERM_STAFF_A, NULL);
      break;
    case ACT_ROLES_REVOKE:
      g_strv_builder_add_many (builder, "roles", "revoke", in_b ? PERM_MANAGER_B : PERM_MANAGER_A, NULL);
      break;
    case ACT_ROLES_LIST:
      g_strv_builder_add_many (builder, "roles", "list", NULL);
      break;
    case ACT_SETTINGS_LIST:
      g_strv_builder_add_many (builder, "settings", "list", NULL);
      break;
    case ACT_SETTINGS_SET:
      g_strv_builder_add_many (builder, "settings", "set", "password-length", "10", NULL);
      break;
    case ACT_SMTP_SHOW:
      g_strv_builder_add_many (builder, "smtp", "show", NULL);
      break;
    case ACT_SMTP_SET:
      g_strv_builder_add_many (builder, "smtp", "set", "--host", "smtp.example.org", "--from", "ent@example.org", NULL);
      break;
    case ACT_AUDIT:
      g_strv_builder_add_many (builder, "audit", NULL);
      break;
    case ACT_AUDIT_MINE:
      g_strv_builder_add_many (builder, "audit", "--mine", NULL);
      break;
    case N_ACTIONS:
    default:
      g_assert_not_reached ();
    }
  return g_strv_builder_end (builder);
}

/* Under AddressSanitizer every sesamectl costs seconds: one cell in
 * MATRIX_STRIDE, spread so that every operator and every action is still
 * run. The in-process matrix of test-permissions.c runs every cell there. */
#ifdef SESAME_TEST_ASAN
# define MATRIX_STRIDE 9
#else
# define MATRIX_STRIDE 1
#endif

static void
test_matrix (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) wrong = g_string_new (NULL);
  guint cells = 0;
  guint expected_cells = 0;

  for (guint row = 0; row < N_ACTIONS; row++)
    for (guint side = 0; side < 2; side++)
      for (PermOperator op = 0; op < N_OPERATORS; op++)
        {
          const PermRow *entry = &perm_matrix[row];
          char expected = (side ? entry->in_b : entry->in_a)[op];
          g_autofree char *name = g_strdup_printf ("cell-%u-%u-%u", row, side, op);
          g_autofree char *store = NULL;
          g_autofree char *dir = NULL;
          g_autofree char *listed = NULL;
          g_auto(GStrv) args = NULL;
          Run run = { 0, };
          gboolean allowed;

          if (expected == '.')
            continue;
          if (((row * 2 + side) * N_OPERATORS + op) % MATRIX_STRIDE != 0)
            continue;
          expected_cells++;
          store = perm_fixture_copy_store (fixture, name);
          dir = g_path_get_dirname (store);
          args = action_args (fixture, dir, entry->action, side, &listed);
          run_ctl (&run, NULL, store, op, (const char * const *) args);
          cells++;

          allowed = run.status == 0 && (listed == NULL || strstr (run.out, listed) != NULL);
          if (allowed != (expected == 'y'))
            g_string_append_printf (wrong, "sesamectl %s in %s by the %s: expected %s, got exit %d%s%s",
                                    entry->name, side ? "B" : "A", perm_operator_name (op),
                                    expected == 'y' ? "allowed" : "refused", run.status,
                                    *run.err ? ": " : "\n", run.err);
          /* A refusal is exit 1 with a message, or a listing without the
           * target; never a usage error. */
          else if (!allowed && run.status != 0 &&
                   (run.status != 1 || !g_str_has_prefix (run.err, "sesamectl: ")))
            g_string_append_printf (wrong, "sesamectl %s in %s by the %s: refused with exit %d: %s",
                                    entry->name, side ? "B" : "A", perm_operator_name (op),
                                    run.status, run.err);
          sesame_test_run_clear (&run);
        }

  if (wrong->len > 0)
    g_error ("The permission matrix does not hold through sesamectl:\n%s", wrong->str);
  g_assert_cmpuint (cells, ==, expected_cells);
  g_assert_cmpuint (cells, >=, 2 * N_ACTIONS * N_OPERATORS / MATRIX_STRIDE);
}

/* `roles list` shows the role of a manager who left as ended, and why. */
static void
test_roles_list_ended (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *store = perm_fixture_copy_store (fixture, "ended");
  const char *json[] = { "roles", "list", "--json", NULL };
  const char *text[] = { "roles", "list", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *french[] = { "env", "LC_ALL=fr_FR.UTF-8", "LANGUAGE=fr", NULL };
  gboolean seen = FALSE;
  JsonArray *array;
  Run run = { 0, };

  run_ctl (&run, NULL, store, OP_OWNER, json);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *grant = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (grant, "login"), !=, "remi.petit");
      if (g_strcmp0 (json_object_get_string_member (grant, "login"), "denis.leroy") != 0)
        {
          g_assert_cmpstr (json_object_get_string_member (grant, "state"), ==, "held");
          continue;
        }
      seen = TRUE;
      g_assert_cmpstr (json_object_get_string_member (grant, "state"), ==, "ended");
      g_assert_true (json_object_has_member (grant, "ended_at"));
      g_assert_nonnull (strstr (json_object_get_string_member (grant, "ended_reason"), "left the establishment on"));
    }
  g_assert_true (seen);
  sesame_test_run_clear (&run);

  /* In French, as the secretariat reads it. */
  if (!g_file_test ("/usr/lib/locale/fr_FR.utf8", G_FILE_TEST_IS_DIR) &&
      !g_file_test ("/usr/lib/locale/locale-archive", G_FILE_TEST_EXISTS))
    return;
  run_ctl (&run, french, store, OP_OWNER, text);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "a quitté l’établissement le"));
  sesame_test_run_clear (&run);
}

/* `account show` of a parent by a manager of classes: the parent's child
 * in another establishment comes without login, key or class. */
static void
test_account_show_relatives (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *store = perm_fixture_copy_store (fixture, "relatives");
  const char *json[] = { "account", "show", "marie.dupont", "--json", NULL };
  const char *text[] = { "account", "show", "marie.dupont", NULL };
  Run run = { 0, };

  run_ctl (&run, NULL, store, OP_CLASSES_MANAGER, json);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"eloise.dupont\""));
  g_assert_null (strstr (run.out, PERM_PUPIL_B));
  g_assert_null (strstr (run.out, "P8"));
  g_assert_null (strstr (run.out, "2NDE1"));
  g_assert_null (strstr (run.out, PERM_UAI_B));
  sesame_test_run_clear (&run);

  run_ctl (&run, NULL, store, OP_CLASSES_MANAGER, text);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Jean DUPONT (outside your scope)"));
  g_assert_null (strstr (run.out, PERM_PUPIL_B));
  g_assert_null (strstr (run.out, "2NDE1"));
  sesame_test_run_clear (&run);

  /* The owner sees all three children. */
  run_ctl (&run, NULL, store, OP_OWNER, json);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, PERM_PUPIL_B));
  sesame_test_run_clear (&run);
}

/* roles grant --role admin: its scopes, its usage errors. */
static void
test_grant_admin (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *store = perm_fixture_copy_store (fixture, "admin");
  const char *classes[] = { "roles", "grant", PERM_STAFF_A, "--role", "admin", "--scope", "classes", NULL };
  const char *boss[] = { "roles", "grant", PERM_STAFF_A, "--role", "boss", NULL };
  const char *all[] = { "roles", "grant", PERM_STAFF_A, "--role", "admin", "--scope", "all", NULL };
  const char *mine[] = { "roles", "grant", PERM_STAFF_A, "--role", "admin", NULL };
  const char *list[] = { "roles", "list", "--json", NULL };
  const char *revoke[] = { "roles", "revoke", PERM_STAFF_A, "--role", "admin", NULL };
  Run run = { 0, };

  run_ctl (&run, NULL, store, OP_HEAD_A, classes);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  run_ctl (&run, NULL, store, OP_HEAD_A, boss);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  /* A head makes administrators of her establishment, not of all. */
  run_ctl (&run, NULL, store, OP_HEAD_A, all);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "every establishment"));
  sesame_test_run_clear (&run);
  run_ctl (&run, NULL, store, OP_HEAD_A, mine);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  run_ctl (&run, NULL, store, OP_OWNER, list);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"" PERM_STAFF_A "\""));
  sesame_test_run_clear (&run);

  run_ctl (&run, NULL, store, OP_HEAD_A, revoke);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (&run, NULL, store, OP_OWNER, list);
  g_assert_null (strstr (run.out, "\"" PERM_STAFF_A "\""));
  sesame_test_run_clear (&run);
}

/* A revocation made by sesamectl on a computer whose clock is an hour
 * behind takes effect: role events follow the store's sequence. */
static void
test_revoke_faketime (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *store = perm_fixture_copy_store (fixture, "faketime");
  g_autofree char *faketime = g_find_program_in_path ("faketime");
  const char *behind[] = { NULL, "-f", "-1h", NULL };
  const char *grant[] = { "roles", "grant", PERM_STAFF_A, NULL };
  const char *revoke[] = { "roles", "revoke", PERM_STAFF_A, NULL };
  const char *search[] = { "search", "--login", PERM_PUPIL_A, "--json", NULL };
  const char *list[] = { "roles", "list", "--json", NULL };
  Run run = { 0, };

  if (faketime == NULL)
    {
      g_test_skip ("faketime is not installed (Debian package faketime)");
      return;
    }
#ifdef SESAME_TEST_ASAN
  /* libfaketime, preloaded ahead of the AddressSanitizer runtime, hangs
   * the process in its first clock call. The suite runs this test without
   * sanitizers. */
  g_test_skip ("faketime cannot run a program built with AddressSanitizer");
  return;
#endif
  behind[0] = faketime;

  run_ctl (&run, NULL, store, OP_OWNER, grant);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  /* faketime works: the audit trail of the revocation says an hour ago. */
  run_ctl (&run, behind, store, OP_OWNER, revoke);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  run_ctl (&run, NULL, store, OP_OWNER, list);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "\"" PERM_STAFF_A "\""));
  sesame_test_run_clear (&run);

  /* Marc FAURE acts as himself: refused. */
  {
    g_autoptr(GPtrArray) argv = g_ptr_array_new ();
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;

    g_ptr_array_add (argv, (char *) g_getenv ("SESAMECTL"));
    g_ptr_array_add (argv, (char *) "--store");
    g_ptr_array_add (argv, store);
    g_ptr_array_add (argv, (char *) "--as");
    g_ptr_array_add (argv, (char *) PERM_STAFF_A);
    for (guint i = 0; search[i] != NULL; i++)
      g_ptr_array_add (argv, (char *) search[i]);
    g_ptr_array_add (argv, NULL);
    process = g_subprocess_newv ((const char * const *) argv->pdata,
                                 G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait (process, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  }

  /* The clock was indeed behind for the revocation. */
  {
    g_autoptr(SesameStore) opened = sesame_store_open (store, NULL);
    g_autoptr(GPtrArray) entries = NULL;
    gint64 granted_at = 0, revoked_at = 0;

    g_assert_nonnull (opened);
    entries = sesame_audit_list (opened, FALSE, 10, NULL);
    g_assert_nonnull (entries);
    for (guint i = 0; i < entries->len; i++)
      {
        SesameAuditEntry *entry = g_ptr_array_index (entries, i);

        if (g_str_equal (entry->action, "grant-role") && g_str_equal (entry->target, PERM_STAFF_A))
          granted_at = entry->at;
        else if (g_str_equal (entry->action, "revoke-role") && g_str_equal (entry->target, PERM_STAFF_A))
          revoked_at = entry->at;
      }
    g_assert_cmpint (granted_at, >, 0);
    g_assert_cmpint (revoked_at, <, granted_at - 3000);
  }
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add ("/sesame/cli-permissions/matrix", Fixture, NULL, perm_fixture_set_up, test_matrix, perm_fixture_tear_down);
  g_test_add ("/sesame/cli-permissions/roles-list-ended", Fixture, NULL,
              perm_fixture_set_up, test_roles_list_ended, perm_fixture_tear_down);
  g_test_add ("/sesame/cli-permissions/account-show-relatives", Fixture, NULL,
              perm_fixture_set_up, test_account_show_relatives, perm_fixture_tear_down);
  g_test_add ("/sesame/cli-permissions/grant-admin", Fixture, NULL,
              perm_fixture_set_up, test_grant_admin, perm_fixture_tear_down);
  g_test_add ("/sesame/cli-permissions/revoke-faketime", Fixture, NULL,
              perm_fixture_set_up, test_revoke_faketime, perm_fixture_tear_down);

  return g_test_run ();
}
