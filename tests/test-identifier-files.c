/* test-identifier-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sesame-accounts-private.h"
#include "sesame-credentials-private.h"
#include "sesame-csv-private.h"
#include "sesame-identifier-files-private.h"
#include "sesame-passwords.h"
#include "sesame-roles.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

#define HEADER "rne;uid;classe;profil;prenom;nom;login;mot de passe;cle de jointure;uid pere;uid mere;" \
               "uid tuteur1;uid tuteur2;prenom enfant;nom enfant;adresse;code postal;ville;pays"

typedef SesameTestFixture Fixture;

static char *
cell_text (const char *value,
           gboolean    file_cell)
{
  GString *line = g_string_new (NULL);

  if (file_cell)
    _sesame_csv_append_clean_cell (line, value, SESAME_CSV_CELL_NO_SEPARATORS | SESAME_CSV_CELL_ESCAPE_FORMULA);
  else
    sesame_csv_append_cell (line, value);
  return g_string_free (line, FALSE);
}

static void
test_csv_cell (void)
{
  static const struct { const char *in, *out, *file_out; } cases[] = {
    { "Dupont", "Dupont", "Dupont" },
    { "=HYPERLINK(\"http://x\")", "'=HYPERLINK('http://x')", "'=HYPERLINK('http://x')" },
    { "+33 6 12", "'+33 6 12", "'+33 6 12" },
    { "-2+3", "'-2+3", "'-2+3" },
    { "@SUM(A1)", "'@SUM(A1)", "'@SUM(A1)" },
    { "\t=1+1", "'=1+1", "'=1+1" },
    { "\r=1+1", "'=1+1", "'=1+1" },
    { "a;b", "a,b", "a - b" },
    { "a,b", "a,b", "a - b" },
    { "Chalet Les Sapins, Lieu-dit", "Chalet Les Sapins, Lieu-dit", "Chalet Les Sapins - Lieu-dit" },
    { "a ; , b", "a , , b", "a - b" },
    { ",a,", ",a,", "a" },
    { ";=1", ",=1", "'=1" },
    { "a\tb", "a b", "a b" },
    { "ligne 1\nligne 2", "ligne 1 ligne 2", "ligne 1 ligne 2" },
    { "Chalet \"Les Sapins\"", "Chalet 'Les Sapins'", "Chalet 'Les Sapins'" },
    { "Éloïse", "Éloïse", "Éloïse" },
    { "", "", "" },
    { "  Dupont", "Dupont", "Dupont" },
    { "Dupont  ", "Dupont", "Dupont" },
    { "Du\x7fpont", "Du pont", "Du pont" },
    { " =1", "'=1", "'=1" },
    { "a=1", "a=1", "a=1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cell_text (cases[i].in, FALSE);
      g_autofree char *file_out = cell_text (cases[i].in, TRUE);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpstr (file_out, ==, cases[i].file_out);
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

      g_auto(GStrv) any = g_strsplit_set (lines[i], ";,\t", -1);

      g_assert_null (strchr (lines[i], '\n'));
      g_assert_cmpuint (g_strv_length (cells), ==, 19);
      /* Whichever separators a spreadsheet splits on (LibreOffice's
       * default: comma, semicolon and tab), a row has 19 columns. */
      g_assert_cmpuint (g_strv_length (any), ==, 19);
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
  g_autofree char *first = _sesame_credentials_dup_first_password (fixture->store, "P1");
  char **row;
  guint n_rows;

  file = sesame_identifier_files_generate (fixture->store, "0740017s", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (file->name, ==, "ENT-Identifiants-0740017S.csv");
  g_assert_cmpstr (file->establishment, ==, "0740017S");
  /* Four pupils and three parents; no staff, nothing of the lycée. */
  g_assert_cmpuint (file->accounts, ==, 7);

  bytes = sesame_identifier_files_render (fixture->store, file->id, &error);
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
  g_assert_cmpstr (row[15], ==, "Chalet Les Sapins - Lieu-dit Le Crêt");
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
  g_autofree char *first = _sesame_credentials_dup_first_password (fixture->store, "P2");
  g_autofree char *fresh = NULL;
  g_autofree char *zoe = _sesame_credentials_dup_first_password (fixture->store, "P3");
  char **row;
  guint n_rows;

  file = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  g_assert_no_error (error);

  /* Jean signs in and chooses a password; Zoé's is regenerated. */
  g_assert_cmpint (sesame_passwords_authenticate (fixture->store, "jean.dupont", first, NULL), ==, SESAME_AUTH_MUST_CHANGE);
  g_assert_true (sesame_passwords_change (fixture->store, "jean.dupont", first, "grand-bornand", &error));
  fresh = sesame_accounts_reset_password (fixture->store, "zoe.martin", &error);
  g_assert_no_error (error);

  bytes = sesame_identifier_files_render (fixture->store, file->id, &error);
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

  /* A search date in the future could only give an empty file. */
  file = sesame_identifier_files_generate (fixture->store, "0740017S",
                                           g_get_real_time () / G_USEC_PER_SEC + 24 * 3600, &error);
  g_assert_null (file);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  /* Accounts created since yesterday: all of them. */
  file = sesame_identifier_files_generate (fixture->store, "0740017S",
                                           g_get_real_time () / G_USEC_PER_SEC - 24 * 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file->accounts, ==, 7);
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
  a = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  sesame_store_set_now (fixture->store, 1790000060);
  b = sesame_identifier_files_generate (fixture->store, "0740018T", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->accounts, ==, 2);

  files = sesame_identifier_files_list (fixture->store, &error);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpstr (((SesameIdentifierFile *) files->pdata[0])->id, ==, b->id);
  g_clear_pointer (&files, g_ptr_array_unref);

  g_assert_true (sesame_identifier_files_export (fixture->store, a->id, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = sesame_identifier_files_render (fixture->store, a->id, &error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_true (sesame_identifier_files_delete (fixture->store, a->id, &error));
  files = sesame_identifier_files_list (fixture->store, &error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_false (sesame_identifier_files_export (fixture->store, a->id, path, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
}

static void
test_admin_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GPtrArray) files = NULL;

  g_assert_true (sesame_roles_grant (fixture->store, "sophie.garnier", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "sophie.garnier", &error));
  file = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  g_assert_null (file);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  files = sesame_identifier_files_list (fixture->store, &error);
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
  id = _sesame_identifier_files_record (fixture->store, "0740017S", NULL, keys, 3, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_commit (fixture->store, &error));

  bytes = sesame_identifier_files_render (fixture->store, id, &error);
  rows = parse_csv (bytes, &n_rows);
  /* Academy staff are never in a file. */
  g_assert_cmpuint (n_rows, ==, 2);
  g_assert_nonnull (g_hash_table_lookup (rows, "P5"));
}

static void
exec_sql (Fixture    *fixture,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_sesame_store_begin (fixture->store, &error));
  g_assert_true (_sesame_store_exec (fixture->store, sql, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_commit (fixture->store, &error));
}

static GHashTable *
render (Fixture    *fixture,
        const char *id,
        guint      *n_rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sesame_identifier_files_render (fixture->store, id, &error);

  g_assert_no_error (error);
  return parse_csv (bytes, n_rows);
}

/* Commas and tabs anywhere in the directory never split a row in a
 * spreadsheet's default import. */
static void
test_separators (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GHashTable) rows = NULL;
  guint n_rows;
  char **row;

  exec_sql (fixture,
            "UPDATE persons SET address = 'Bâtiment B, escalier 3' || char (10) || '12, rue du Lac;'"
            " || char (9) || 'appt 4', city = 'Saint-Jean-de-Sixt, Haute-Savoie', first_name = 'Claire,' || char (9) || 'Anne'"
            " WHERE key = 'P7';"
            "UPDATE persons SET last_name = 'Du,pont' WHERE key = 'P1';");

  file = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  g_assert_no_error (error);
  rows = render (fixture, file->id, &n_rows);
  g_assert_cmpuint (n_rows, ==, 7);

  row = g_hash_table_lookup (rows, "P7");
  g_assert_cmpstr (row[4], ==, "Claire - Anne");
  g_assert_cmpstr (row[15], ==, "Bâtiment B - escalier 3 - 12 - rue du Lac - appt 4");
  g_assert_cmpstr (row[16], ==, "74220");
  g_assert_cmpstr (row[17], ==, "Saint-Jean-de-Sixt - Haute-Savoie");
  row = g_hash_table_lookup (rows, "P1");
  g_assert_cmpstr (row[5], ==, "Du - pont");
  /* The child's name on the parents' rows too. */
  row = g_hash_table_lookup (rows, "P5");
  g_assert_cmpstr (row[14], ==, "Du - pont");
}

/* Each person's directory key carries their own establishment's academy. */
static void
test_two_academies (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) lyon = NULL;
  g_autoptr(SesameIdentifierFile) grenoble = NULL;
  g_autoptr(GHashTable) rows = NULL;
  guint n_rows;
  char **row;

  /* The Lyon school sorts first, so that "the first establishment" would
   * be wrong for Grenoble's file, and Grenoble's for Lyon's. */
  exec_sql (fixture,
            "INSERT INTO establishments (jointure, uai, name, street, postal_code, city, academy, first_seen_at) VALUES"
            " ('00001', '0690001A', 'Collège Ampère', '1 rue de la Bourse', '69002', 'Lyon', 'LYON', 0);"
            "INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure, email, address,"
            " postal_code, city, country, is_head, first_seen_at) VALUES"
            " ('L1', 'Eleve', 1, 'M.', 'Perrin', 'Hugo', '00001', '', '', '', '', '', 0, 0),"
            " ('L2', 'PersRelEleve', 2, 'Mme', 'Perrin', 'Lucie', '', '', '', '', '', '', 0, 0);"
            "INSERT INTO memberships (person_key, structure, kind, code) VALUES ('L1', '00001', 'class', '3C');"
            "INSERT INTO guardians (pupil_key, parent_key, relationship, legal) VALUES ('L1', 'L2', 10, 1);");
  g_assert_true (_sesame_store_begin (fixture->store, &error));
  g_assert_true (_sesame_accounts_create (fixture->store, NULL, "L1", SESAME_PROFILE_ELEVE, "Hugo", "Perrin", NULL, &error));
  g_assert_true (_sesame_accounts_create (fixture->store, NULL, "L2", SESAME_PROFILE_PARENT, "Lucie", "Perrin", NULL, &error));
  g_assert_true (_sesame_store_commit (fixture->store, &error));
  g_assert_no_error (error);

  lyon = sesame_identifier_files_generate (fixture->store, "0690001A", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lyon->accounts, ==, 2);
  rows = render (fixture, lyon->id, &n_rows);
  row = g_hash_table_lookup (rows, "L1");
  g_assert_cmpstr (row[8], ==, "AC-LYON$L1");
  /* A parent has no establishment of their own: their child's. */
  row = g_hash_table_lookup (rows, "L2");
  g_assert_cmpstr (row[8], ==, "AC-LYON$L2");
  g_clear_pointer (&rows, g_hash_table_unref);

  grenoble = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  g_assert_no_error (error);
  rows = render (fixture, grenoble->id, &n_rows);
  row = g_hash_table_lookup (rows, "P1");
  g_assert_cmpstr (row[8], ==, "AC-GRENOBLE$P1");
  row = g_hash_table_lookup (rows, "P7");
  g_assert_cmpstr (row[8], ==, "AC-GRENOBLE$P7");
  g_clear_pointer (&rows, g_hash_table_unref);

  /* A prefix set for the store still applies to everyone. */
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_ACADEMY_PREFIX, "AC-TEST", &error));
  rows = render (fixture, lyon->id, &n_rows);
  row = g_hash_table_lookup (rows, "L1");
  g_assert_cmpstr (row[8], ==, "AC-TEST$L1");
}

/* A pupil recorded as their own guardian is never their own father. */
static void
test_no_self_reference (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GHashTable) rows = NULL;
  guint n_rows;
  char **row;

  exec_sql (fixture,
            "INSERT INTO guardians (pupil_key, parent_key, relationship, legal) VALUES ('P1', 'P1', 20, 1),"
            " ('P4', 'P4', 10, 1);");
  file = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  g_assert_no_error (error);
  rows = render (fixture, file->id, &n_rows);

  row = g_hash_table_lookup (rows, "P1");
  g_assert_cmpstr (row[9], ==, "P6");
  g_assert_cmpstr (row[10], ==, "P5");
  row = g_hash_table_lookup (rows, "P4");
  for (guint c = 9; c < 15; c++)
    g_assert_cmpstr (row[c], ==, "");
}

/* The list says what a file holds, and the size an export writes. */
static void
test_contents_and_size (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *keys[] = { "P1", "P5" };
  g_autofree char *id = NULL;
  g_autofree char *first = _sesame_credentials_dup_first_password (fixture->store, "P1");
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *day = NULL;
  SesameIdentifierFile *file;
  gsize length;

  g_assert_true (_sesame_store_begin (fixture->store, &error));
  id = _sesame_identifier_files_record (fixture->store, "0740017S", "import-1", keys, 2, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_commit (fixture->store, &error));

  /* Éloïse chooses her password: the marker is longer than it was. */
  g_assert_cmpint (sesame_passwords_authenticate (fixture->store, "eloise.dupont", first, NULL), ==, SESAME_AUTH_MUST_CHANGE);
  g_assert_true (sesame_passwords_change (fixture->store, "eloise.dupont", first, "la-clusaz-74", &error));

  files = sesame_identifier_files_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  file = g_ptr_array_index (files, 0);
  g_assert_cmpstr (file->import_id, ==, "import-1");
  when = g_date_time_new_from_unix_local (file->generated_at);
  day = g_date_time_format (when, "%Y-%m-%d");
  label = sesame_identifier_file_dup_contents (file);
  expected = g_strdup_printf ("Accounts created by the import of %s", day);
  g_assert_cmpstr (label, ==, expected);

  g_assert_true (sesame_identifier_files_measure (fixture->store, files, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_identifier_files_export (fixture->store, id, path, &error));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpint (file->size, ==, length);
  g_assert_nonnull (strstr (contents, "password already personalised"));
  g_clear_pointer (&files, g_ptr_array_unref);

  /* And the list read afterwards says the same. */
  files = sesame_identifier_files_list (fixture->store, &error);
  g_assert_cmpint (((SesameIdentifierFile *) files->pdata[0])->size, ==, length);
}

static void
run_check (const char *reader,
           const char *xlsx,
           const char *pairs[])
{
  g_autofree char *script = sesame_test_data_path ("check-xlsx.py");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, (char *) reader);
  g_ptr_array_add (argv, (char *) xlsx);
  for (guint i = 0; pairs[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) pairs[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_skip (reader[0] == 's' ? "LibreOffice is not installed" : "python3-openpyxl is not installed");
      return;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s: %s", reader, err);
}

/* Values a spreadsheet would turn into numbers or run as formulas. */
static void
prepare_tricky_values (Fixture *fixture)
{
  exec_sql (fixture,
            "UPDATE persons SET postal_code = '01000', city = 'Bourg-en-Bresse, Ain' WHERE key = 'P7';"
            "UPDATE persons SET first_name = '=HYPERLINK(\"http://x\",\"y\")', last_name = '+33 6 12' WHERE key = 'P4';"
            "UPDATE accounts SET login = '007.12345' WHERE person_key = 'P2';"
            "UPDATE memberships SET code = '0001' WHERE person_key = 'P3' AND kind = 'class';");
}

static void
test_xlsx (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) a = NULL;
  g_autoptr(SesameIdentifierFile) b = NULL;
  g_autofree char *xlsx = g_build_filename (fixture->dir, "ENT-Identifiants.xlsx", NULL);
  g_autofree char *csv_a = g_build_filename (fixture->dir, "a.csv", NULL);
  g_autofree char *csv_b = g_build_filename (fixture->dir, "b.csv", NULL);
  g_autofree char *pair_a = NULL;
  g_autofree char *pair_b = NULL;
  g_autofree char *head = NULL;
  const char *both[3] = { NULL, };
  const char *ids[3] = { NULL, };
  struct stat st;

  prepare_tricky_values (fixture);
  a = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  g_assert_no_error (error);
  b = sesame_identifier_files_generate (fixture->store, "0740018T", 0, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_identifier_files_export (fixture->store, a->id, csv_a, &error));
  g_assert_true (sesame_identifier_files_export (fixture->store, b->id, csv_b, &error));

  /* Chosen by the extension, whatever its case. */
  g_assert_true (sesame_identifier_file_path_is_spreadsheet ("x.XLSX"));
  g_assert_false (sesame_identifier_file_path_is_spreadsheet ("x.csv"));
  g_assert_false (sesame_identifier_file_path_is_spreadsheet ("xlsx"));

  /* A workbook replacing a file anyone could read is still private. */
  g_assert_true (g_file_set_contents (xlsx, "old", -1, NULL));
  g_assert_cmpint (g_chmod (xlsx, 0644), ==, 0);
  ids[0] = a->id;
  ids[1] = b->id;
  g_assert_true (sesame_identifier_files_export_all (fixture->store, ids, xlsx, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (xlsx, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (xlsx, &head, NULL, NULL));
  g_assert_cmpmem (head, 2, "PK", 2);

  pair_a = g_strdup_printf ("0740017S=%s", csv_a);
  pair_b = g_strdup_printf ("0740018T=%s", csv_b);
  both[0] = pair_a;
  both[1] = pair_b;
  run_check ("openpyxl", xlsx, both);

  /* A CSV holds one file. */
  g_assert_false (sesame_identifier_files_export_all (fixture->store, ids, csv_a, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
}

static void
test_xlsx_libreoffice (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autofree char *xlsx = g_build_filename (fixture->dir, "ENT-Identifiants-0740017S.xlsx", NULL);
  g_autofree char *csv = g_build_filename (fixture->dir, "ENT-Identifiants-0740017S.csv", NULL);
  g_autofree char *soffice = NULL;
  const char *pairs[2] = { NULL, };

  soffice = g_find_program_in_path ("soffice");
  if (soffice == NULL)
    {
      g_test_skip ("LibreOffice is not installed");
      return;
    }

  prepare_tricky_values (fixture);
  file = sesame_identifier_files_generate (fixture->store, "0740017S", 0, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_identifier_files_export (fixture->store, file->id, csv, &error));
  g_assert_true (sesame_identifier_files_export (fixture->store, file->id, xlsx, &error));
  g_assert_no_error (error);
  pairs[0] = csv;
  run_check ("soffice", xlsx, pairs);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/identifier-files/csv-cell", test_csv_cell);
#define ADD(path, func) g_test_add (path, Fixture, NULL, sesame_test_fixture_set_up, func, sesame_test_fixture_tear_down)
  ADD ("/sesame/identifier-files/generate-and-render", test_generate_and_render);
  ADD ("/sesame/identifier-files/never-a-dead-password", test_never_a_dead_password);
  ADD ("/sesame/identifier-files/since", test_since);
  ADD ("/sesame/identifier-files/list-export-delete", test_list_export_delete);
  ADD ("/sesame/identifier-files/admin-only", test_admin_only);
  ADD ("/sesame/identifier-files/recorded-by-import", test_recorded_by_import);
  ADD ("/sesame/identifier-files/separators", test_separators);
  ADD ("/sesame/identifier-files/two-academies", test_two_academies);
  ADD ("/sesame/identifier-files/no-self-reference", test_no_self_reference);
  ADD ("/sesame/identifier-files/contents-and-size", test_contents_and_size);
  ADD ("/sesame/identifier-files/xlsx", test_xlsx);
  ADD ("/sesame/identifier-files/xlsx-libreoffice", test_xlsx_libreoffice);
#undef ADD

  return g_test_run ();
}
