/* sesame-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every test program needs before its first test: g_test_init()
 * with folders of its own, temporary folders, the test data, and the
 * operator passphrase and ENT a store needs before it prints.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "sesame-operators.h"
#include "sesame-store-private.h"
#include "sesame-test-util.h"

static char *private_root;

static void
remove_private_root (void)
{
  if (private_root != NULL)
    sesame_test_remove_tree (private_root);
}

/**
 * sesame_test_use_private_folders:
 *
 * Gives the test a home of its own, removed when it exits: XDG_DATA_HOME,
 * XDG_CONFIG_HOME and XDG_CACHE_HOME in a new folder, GSettings in
 * memory, and SESAME_PASSPHRASE set to %SESAME_TEST_PASSPHRASE, where
 * sesamectl --as reads it. The system's data folders are left as they
 * are. Called once, after g_test_init().
 */
void
sesame_test_use_private_folders (void)
{
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *cache = NULL;

  g_assert_null (private_root);
  private_root = sesame_test_make_tmpdir ();
  data = g_build_filename (private_root, "data", NULL);
  config = g_build_filename (private_root, "config", NULL);
  cache = g_build_filename (private_root, "cache", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("SESAME_PASSPHRASE", SESAME_TEST_PASSPHRASE, TRUE);
  atexit (remove_private_root);
}

/**
 * sesame_test_init:
 * @argc: main()'s
 * @argv: main()'s
 *
 * g_test_init() for the tests of the core and sesamectl, with isolated
 * folders (%G_TEST_OPTION_ISOLATE_DIRS) and a home of their own
 * (sesame_test_use_private_folders()).
 */
void
sesame_test_init (int    *argc,
                  char ***argv)
{
  setlocale (LC_ALL, "");
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sesame_test_use_private_folders ();
}

char *
sesame_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sesame-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
sesame_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      sesame_test_remove_tree (child);
    }
  g_rmdir (path);
}

char *
sesame_test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

void
sesame_test_enrol_operator (SesameStore *store,
                            const char  *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *operator = g_strdup (sesame_store_operator_get_login (store));
  g_autoptr(SesameEnrolment) enrolment = NULL;

  g_assert_true (_sesame_store_set_operator_trusted (store, NULL, &error));
  enrolment = sesame_enrolment_invite_operator (store, login, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_enrolment_enrol (store, login, enrolment->code, SESAME_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (store, operator, &error));
}

void
sesame_test_name_ent (SesameStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *operator = g_strdup (sesame_store_operator_get_login (store));

  /* Settings of the whole store: set as its owner. */
  g_assert_true (_sesame_store_set_operator_trusted (store, NULL, &error));
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_NAME, "Mon ENT 74", &error));
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_URL, "https://ent.mon-ent-74.example.fr", &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (store, operator, &error));
}
