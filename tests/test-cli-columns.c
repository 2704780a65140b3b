/* test-cli-columns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl's tables line up in French: columns are padded by the width
 * text takes on screen, so "État :", "Établissement :", "Éloïse" or a name
 * in wide characters no longer pull the following columns to the left.
 */
#include "config.h"

#include "sesame-store-private.h"
#include "sesame.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

typedef SesameTestFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_fixture_set_up (fixture, data);
  /* A first name in wide characters: two columns each. */
  g_assert_true (_sesame_store_exec (fixture->store, "UPDATE persons SET first_name = '美咲' WHERE key = 'P4'", &error));
  g_assert_no_error (error);
}

/* sesamectl in French, whatever locales the machine has generated. */
static char *
run_french (Fixture    *fixture,
            ...)
{
  const char *env[] = { "LC_ALL", "C.UTF-8", "LANGUAGE", "fr", NULL };
  SesameTestCtl ctl = { .store = sesame_store_get_path (fixture->store), .env = env };
  g_auto(SesameTestRun) run = { 0 };
  va_list ap;

  va_start (ap, fixture);
  sesame_test_ctl_run_va (&ctl, &run, ap);
  va_end (ap);
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

/* The screen column where the character at @p starts. */
static guint
column_of (const char *line,
           const char *p)
{
  guint column = 0;

  for (const char *q = line; q < p; q = g_utf8_next_char (q))
    column += char_width (g_utf8_get_char (q));
  return column;
}

/* The character shown at screen column @column, or 0 past the end. */
static gunichar
char_at_column (const char *line,
                guint       column)
{
  guint at = 0;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint width = char_width (c);

      if (column >= at && column < at + MAX (width, 1))
        return c;
      at += width;
    }
  return 0;
}

/* Every column starting at @starts begins right after a space, on every
 * line: nothing was pulled left or pushed right. */
static void
assert_columns (char       **lines,
                const guint *starts,
                guint        n_starts)
{
  guint checked = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      for (guint j = 0; j < n_starts; j++)
        {
          gunichar before = char_at_column (lines[i], starts[j] - 1);
          gunichar at = char_at_column (lines[i], starts[j]);

          if (before != ' ' || at == ' ' || at == 0)
            g_error ("Column %u (at %u) does not start in place on line:\n%s", j + 1, starts[j], lines[i]);
        }
      checked++;
    }
  g_assert_cmpuint (checked, >, 1);
}

/* "État :", "Établissement :", "Clé de l’annuaire :": each value starts
 * at the same column. */
static void
test_account_show (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = run_french (fixture, "account", "show", "eloise.dupont", NULL);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint fields = 0;

  g_assert_nonnull (strstr (out, "État :"));
  g_assert_nonnull (strstr (out, "Établissement :"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strstr (lines[i], " :");
      const char *value;

      if (colon == NULL)
        continue;
      for (value = colon + 2; *value == ' '; value++)
        ;
      if (column_of (lines[i], value) != 27)
        g_error ("The value does not start at column 27:\n%s", out);
      fields++;
    }
  g_assert_cmpuint (fields, >=, 5);
}

/* The search table: "Élève", "Éloïse", "Zoé", "美咲", "En attente". */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  /* Last name, first name, profile, state, establishment. */
  static const guint starts[] = { 25, 46, 67, 84, 95 };
  g_autofree char *out = run_french (fixture, "search", "--establishment", "0740017S", NULL);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  g_assert_nonnull (strstr (out, "Éloïse"));
  g_assert_nonnull (strstr (out, "美咲"));
  g_assert_nonnull (strstr (out, "Élève"));
  assert_columns (lines, starts, G_N_ELEMENTS (starts));
}

/* The roles table: "Hélène ROCHE". */
static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  static const guint starts[] = { 25, 52 };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (sesame_roles_grant (fixture->store, "helene.roche", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_roles_grant (fixture->store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  out = run_french (fixture, "roles", "list", NULL);
  lines = g_strsplit (out, "\n", -1);
  g_assert_nonnull (strstr (out, "Hélène"));
  assert_columns (lines, starts, G_N_ELEMENTS (starts));
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, sesame_test_fixture_tear_down)

  ADD ("/sesame/cli-columns/account-show", test_account_show);
  ADD ("/sesame/cli-columns/search", test_search);
  ADD ("/sesame/cli-columns/roles", test_roles);

  return g_test_run ();
}
