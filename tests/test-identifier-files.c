/* test-identifier-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sesame-accounts-private.h"
#include "sesame-identifier-files-private.h"
#include "sesame-roles.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

#define HEADER "rne;uid;classe;profil;prenom;nom;login;mot de passe;cle de jointure;uid pere;uid mere;" \
               "uid tuteur1;uid tuteur2;prenom enfant;nom enfant;adresse;code postal;ville;pays"

typedef struct
{
  char        *dir;
  SesameStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store = sesame_test_fixture_store (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
cell_text (const char *value)
{
  GString *line = g_string_new (NULL);

  sesame_csv_append_cell (line, value);
  return g_string_free (line, FALSE);
}

static void
test_csv_cell (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "Dupont", "Dupont" },
    { "=HYPERLINK(\"http://x\")", "'=HYPERLINK('http://x')" },
    { "+33 6 12", "'+33 6 12" },
    { "-2+3", "'-2+3" },
    { "@SUM(A1)", "'@SUM(A1)" },
    { "\t=1+1", "'=1+1" },
    { "\r=1+1", "'=1+1" },
    { "a;b", "a,b" },
    { "ligne 1\nligne 2", "ligne 1 ligne 2" },
    { "Chalet \"Les Sapins\"", "Chalet 'Les Sapins'" },
    { "Éloïse", "Éloïse" },
    { "", "" },
    { "  Dupont", "Dupont" },
    { "Dupont  ", "Dupont" },
    { "Du\x7fpont", "Du pont" },
    { " =1", "'=1" },
    { "a=1", "a=1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cell_text (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* The rows of a rendered file, keyed by uid, each split into cells. */
static GHashTable *
parse_csv (GBytes *bytes,
           guint  *n_rows)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);

  g_assert_cmpuint (size, >, 3);
  g_assert_cmpmem (data, 3, "\xEF\xBB\xBF", 3);
  text = g_strndup (data + 3, size - 3);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_suffix (text, "\r\n"));

  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, HEADER);
  *n_rows = 0;
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      char **cells = g_strsplit (lines[i], ";", -1);

      g_assert_null (strchr (lines[i], '\n'));
      g_assert_cmpuint (g_strv_length (cells), ==, 19);
      g_assert_false (g_hash_table_contains (rows, cells[1]));
      for (guint c = 0; cells[c] != NULL; c++)
        g_assert_null (strchr ("=+-@\t\r", cells[c][0] ? cells[c][0] : 'x'));
      g_hash_table_insert (rows, g_strdup (cells[1]), cells);
      (*n_rows)++;
    }
  return rows;
}

static void
test_generate_and_render (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) rows = NULL;
  g_autofree char *first = _sesame_store_dup_first_password (fixture->store, "P1");
  char **row;
  guint n_rows;

  file = sesame_store_generate_identifier_file (fixture->store, "0740017s", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (file->name, ==, "ENT-Identifiants-0740017S.csv");
  g_assert_cmpstr (file->establishment, ==, "0740017S");
  /* Four pupils and three parents; no staff, nothing of the lycée. */
  g_assert_cmpuint (file->accounts, ==, 7);

  bytes = sesame_store_render_identifier_file (fixture->store, file->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (file->size, ==, g_bytes_get_size (bytes));
  rows = parse_csv (bytes, &n_rows);
  g_assert_cmpuint (n_rows, ==, 7);
  g_assert_null (g_hash_table_lookup (rows, "S1"));
  g_assert_null (g_hash_table_lookup (rows, "P8"));

  row = g_hash_table_lookup (rows, "P1");
  g_assert_cmpstr (row[0], ==, "0740017S");
  g_assert_cmpstr (row[2], ==, "6A");
  g_assert_cmpstr (row[3], ==, "Eleve");
  g_assert_cmpstr (row[4], ==, "Éloïse");
  g_assert_cmpstr (row[5], ==, "Dupont");
  g_assert_cmpstr (row[6], ==, "eloise.dupont");
  g_assert_cmpstr (row[7], ==, first);
  g_assert_cmpstr (row[8], ==, "AC-GRENOBLE$P1");
  g_assert_cmpstr (row[9], ==, "P6");    /* father (20) */
  g_assert_cmpstr (row[10], ==, "P5");   /* mother (10) */

  row = g_hash_table_lookup (rows, "P7");
  g_assert_cmpstr (row[3], ==, "Tuteur");
  g_assert_cmpstr (row[2], ==, "5 B");
  g_assert_cmpstr (row[13], ==, "Zoé");
  g_assert_cmpstr (row[14], ==, "Martin");
  g_assert_cmpstr (row[15], ==, "Chalet Les Sapins, Lieu-dit Le Crêt");
  g_assert_cmpstr (row[16], ==, "74220");
  g_assert_cmpstr (row[17], ==, "La Clusaz");
}

static void
test_never_a_dead_password (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) rows = NULL;
  g_autofree char *first = _sesame_store_dup_first_password (fixture->store, "P2");
  g_autofree char *fresh = NULL;
  g_autofree char *zoe = _sesame_store_dup_first_password (fixture->store, "P3");
  char **row;
  guint n_rows;

  file = sesame_store_generate_identifier_file (fixture->store, "0740017S", 0, &error);
  g_assert_no_error (error);

  /* Jean signs in and chooses a password; Zoé's is regenerated. */
  g_assert_cmpint (sesame_store_authenticate (fixture->store, "jean.dupont", first, NULL), ==, SESAME_AUTH_MUST_CHANGE);
  g_assert_true (sesame_store_change_password (fixture->store, "jean.dupont", first, "grand-bornand", &error));
  fresh = sesame_store_reset_password (fixture->store, "zoe.martin", &error);
  g_assert_no_error (error);

  bytes = sesame_store_render_identifier_file (fixture->store, file->id, &error);
  rows = parse_csv (bytes, &n_rows);
  row = g_hash_table_lookup (rows, "P2");
  g_assert_cmpstr (row[7], !=, first);
  g_assert_cmpstr (row[7], ==, "password already personalised");
  row = g_hash_table_lookup (rows, "P3");
  g_assert_cmpstr (row[7], ==, fresh);

  /* Never a hash, never the old passwords. */
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "$argon2"));
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), zoe));
}

static void
test_since (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;

  file = sesame_store_generate_identifier_file (fixture->store, "0740017S",
                                                g_get_real_time () / G_USEC_PER_SEC + 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file->accounts, ==, 0);
}

static void
test_list_export_delete (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) a = NULL;
  g_autoptr(SesameIdentifierFile) b = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  struct stat st;

  sesame_store_set_now (fixture->store, 1790000000);
  a = sesame_store_generate_identifier_file (fixture->store, "0740017S", 0, &error);
  sesame_store_set_now (fixture->store, 1790000060);
  b = sesame_store_generate_identifier_file (fixture->store, "0740018T", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->accounts, ==, 2);

  files = sesame_store_list_identifier_files (fixture->store, &error);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpstr (((SesameIdentifierFile *) files->pdata[0])->id, ==, b->id);
  g_clear_pointer (&files, g_ptr_array_unref);

  g_assert_true (sesame_store_export_identifier_file (fixture->store, a->id, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = sesame_store_render_identifier_file (fixture->store, a->id, &error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_true (sesame_store_delete_identifier_file (fixture->store, a->id, &error));
  files = sesame_store_list_identifier_files (fixture->store, &error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_false (sesame_store_export_identifier_file (fixture->store, a->id, path, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
}

static void
test_admin_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GPtrArray) files = NULL;

  g_assert_true (sesame_store_grant_role (fixture->store, "sophie.garnier", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "sophie.garnier", &error));
  file = sesame_store_generate_identifier_file (fixture->store, "0740017S", 0, &error);
  g_assert_null (file);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  files = sesame_store_list_identifier_files (fixture->store, &error);
  g_assert_null (files);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
}

static void
test_recorded_by_import (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *keys[] = { "P1", "P5", "S2" };
  g_autofree char *id = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) rows = NULL;
  guint n_rows;

  g_assert_true (_sesame_store_begin (fixture->store, &error));
  id = _sesame_store_record_identifier_file (fixture->store, "0740017S", NULL, keys, 3, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_commit (fixture->store, &error));

  bytes = sesame_store_render_identifier_file (fixture->store, id, &error);
  rows = parse_csv (bytes, &n_rows);
  /* Academy staff are never in a file. */
  g_assert_cmpuint (n_rows, ==, 2);
  g_assert_nonnull (g_hash_table_lookup (rows, "P5"));
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/identifier-files/csv-cell", test_csv_cell);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/identifier-files/generate-and-render", test_generate_and_render);
  ADD ("/sesame/identifier-files/never-a-dead-password", test_never_a_dead_password);
  ADD ("/sesame/identifier-files/since", test_since);
  ADD ("/sesame/identifier-files/list-export-delete", test_list_export_delete);
  ADD ("/sesame/identifier-files/admin-only", test_admin_only);
  ADD ("/sesame/identifier-files/recorded-by-import", test_recorded_by_import);
#undef ADD

  return g_test_run ();
}
