/* sesame-identifier-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Identifier files ("Fichiers des identifiants"): CSV files of accounts with
 * their login and first password, for mail merge and for GEPI. A file
 * records which accounts it lists; the CSV is rendered when it is exported,
 * so that it never shows a password that no longer works.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-files"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-identifier-files-private.h"

#define CSV_HEADER "rne;uid;classe;profil;prenom;nom;login;mot de passe;cle de jointure;" \
                   "uid pere;uid mere;uid tuteur1;uid tuteur2;prenom enfant;nom enfant;" \
                   "adresse;code postal;ville;pays"

G_DEFINE_BOXED_TYPE (SesameEstablishment, sesame_establishment,
                     sesame_establishment_copy, sesame_establishment_free)
G_DEFINE_BOXED_TYPE (SesameIdentifierFile, sesame_identifier_file,
                     sesame_identifier_file_copy, sesame_identifier_file_free)

SesameEstablishment *
sesame_establishment_copy (const SesameEstablishment *establishment)
{
  SesameEstablishment *copy;

  g_return_val_if_fail (establishment != NULL, NULL);

  copy = g_new0 (SesameEstablishment, 1);
  copy->jointure = g_strdup (establishment->jointure);
  copy->uai = g_strdup (establishment->uai);
  copy->name = g_strdup (establishment->name);
  copy->street = g_strdup (establishment->street);
  copy->postal_code = g_strdup (establishment->postal_code);
  copy->city = g_strdup (establishment->city);
  copy->academy = g_strdup (establishment->academy);
  return copy;
}

void
sesame_establishment_free (SesameEstablishment *establishment)
{
  if (establishment == NULL)
    return;
  g_free (establishment->jointure);
  g_free (establishment->uai);
  g_free (establishment->name);
  g_free (establishment->street);
  g_free (establishment->postal_code);
  g_free (establishment->city);
  g_free (establishment->academy);
  g_free (establishment);
}

SesameIdentifierFile *
sesame_identifier_file_copy (const SesameIdentifierFile *file)
{
  SesameIdentifierFile *copy;

  g_return_val_if_fail (file != NULL, NULL);

  copy = g_memdup2 (file, sizeof *file);
  copy->id = g_strdup (file->id);
  copy->name = g_strdup (file->name);
  copy->establishment = g_strdup (file->establishment);
  return copy;
}

void
sesame_identifier_file_free (SesameIdentifierFile *file)
{
  if (file == NULL)
    return;
  g_free (file->id);
  g_free (file->name);
  g_free (file->establishment);
  g_free (file);
}

/**
 * sesame_csv_append_cell:
 * @line: the line being written
 * @value: (nullable): the cell's text
 *
 * Appends one cell of a `;`-separated file that LibreOffice, Excel and GEPI
 * read without quoting: separators, quotes, tabs and line breaks become
 * spaces or commas, and a cell that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-` or `@`) is prefixed with an apostrophe.
 */
void
sesame_csv_append_cell (GString    *line,
                        const char *value)
{
  gsize start = line->len;
  gboolean leading = TRUE;

  g_return_if_fail (line != NULL);

  if (value == NULL)
    return;

  for (const char *p = value; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c == ';')
        c = ',';
      else if (c == '"')
        c = '\'';
      else if (c < 0x20 || c == 0x7f)
        c = ' ';

      /* Leading blanks (where a tab or CR stood) are dropped, so that the
       * formula check sees the first real character. */
      if (leading && c == ' ')
        continue;
      leading = FALSE;
      g_string_append_c (line, (char) c);
    }

  while (line->len > start && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);

  if (line->len > start && strchr ("=+-@", line->str[start]) != NULL)
    g_string_insert_c (line, start, '\'');
}

static SesameEstablishment *
establishment_from_row (sqlite3_stmt *stmt)
{
  SesameEstablishment *establishment = g_new0 (SesameEstablishment, 1);

  establishment->jointure = g_strdup (_sesame_column_text (stmt, 0));
  establishment->uai = g_strdup (_sesame_column_text (stmt, 1));
  establishment->name = g_strdup (_sesame_column_text (stmt, 2));
  establishment->street = g_strdup (_sesame_column_text (stmt, 3));
  establishment->postal_code = g_strdup (_sesame_column_text (stmt, 4));
  establishment->city = g_strdup (_sesame_column_text (stmt, 5));
  establishment->academy = g_strdup (_sesame_column_text (stmt, 6));
  return establishment;
}

/**
 * sesame_store_list_establishments:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SesameEstablishment): the
 *   establishments of the store, by name
 */
GPtrArray *
sesame_store_list_establishments (SesameStore  *self,
                                  GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_establishment_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  stmt = _sesame_store_prepare (self,
                                "SELECT jointure, uai, name, street, postal_code, city, academy FROM establishments"
                                " WHERE deleted_at IS NULL ORDER BY name COLLATE NAME, uai",
                                error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, establishment_from_row (stmt));
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

/**
 * sesame_store_find_establishment:
 * @self: a #SesameStore
 * @uai_or_jointure: a UAI or a structure's directory key
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the establishment, or %NULL with @error set
 */
SesameEstablishment *
sesame_store_find_establishment (SesameStore  *self,
                                 const char   *uai_or_jointure,
                                 GError      **error)
{
  g_autofree char *upper = NULL;
  SesameEstablishment *found = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (uai_or_jointure != NULL, NULL);

  upper = g_ascii_strup (uai_or_jointure, -1);
  stmt = _sesame_store_prepare (self,
                                "SELECT jointure, uai, name, street, postal_code, city, academy FROM establishments"
                                " WHERE (uai = ?1 OR jointure = ?2) AND deleted_at IS NULL ORDER BY uai = ?1 DESC LIMIT 1",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, upper, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, uai_or_jointure, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = establishment_from_row (stmt);
  sqlite3_reset (stmt);

  if (found == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("No establishment has the UAI “%s”. Import its directory first."), uai_or_jointure);
  return found;
}

char *
_sesame_store_dup_prefixed_key (SesameStore *self,
                                const char  *person_key)
{
  g_autofree char *prefix = sesame_store_dup_setting (self, SESAME_SETTING_ACADEMY_PREFIX, NULL);
  sqlite3_stmt *stmt;

  if (prefix == NULL)
    {
      /* The person's academy, or for a parent their child's. */
      stmt = _sesame_store_prepare (self,
                                    "SELECT e.academy FROM persons p JOIN establishments e ON e.jointure = p.structure"
                                    " WHERE p.key = ?1 AND e.academy <> ''"
                                    " UNION ALL SELECT e.academy FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                    " JOIN establishments e ON e.jointure = c.structure WHERE g.parent_key = ?1 AND e.academy <> ''"
                                    " UNION ALL SELECT academy FROM establishments WHERE academy <> '' LIMIT 1",
                                    NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            prefix = g_strdup_printf ("AC-%s", _sesame_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
    }

  if (prefix == NULL || *prefix == '\0')
    return g_strdup (person_key);
  return g_strdup_printf ("%s$%s", prefix, person_key);
}

typedef struct
{
  char          *key;
  SesameProfile  profile;
  char          *first_name;
  char          *last_name;
  char          *address;
  char          *postal_code;
  char          *city;
  char          *country;
  char          *login;
  char          *password;
  char          *class_name;
  gboolean       activated;
  gboolean       disabled;
  char          *sort_key;
} FileRow;

static void
file_row_free (FileRow *row)
{
  g_free (row->key);
  g_free (row->first_name);
  g_free (row->last_name);
  g_free (row->address);
  g_free (row->postal_code);
  g_free (row->city);
  g_free (row->country);
  g_free (row->login);
  g_free (row->password);
  g_free (row->class_name);
  g_free (row->sort_key);
  g_free (row);
}

/* Rows sort by profile, class, last name and first name, accents and case
 * aside. The key is computed once per row: transliterating in every
 * comparison made sorting the slowest part of a large file. */
static char *
row_sort_key (FileRow *row)
{
  g_autofree char *text = g_strdup_printf ("%d\x01%s\x01%s\x01%s\x01", row->profile, row->class_name,
                                           row->last_name, row->first_name);
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  g_autofree char *lower = g_ascii_strdown (ascii, -1);

  return g_strconcat (lower, row->key, NULL);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const FileRow *ra = *(const FileRow * const *) a;
  const FileRow *rb = *(const FileRow * const *) b;

  return strcmp (ra->sort_key, rb->sort_key);
}

typedef struct
{
  char *parent;
  int   relationship;
} GuardianLink;

static void
guardian_link_free (GuardianLink *link)
{
  g_free (link->parent);
  g_free (link);
}

typedef struct
{
  char *first_name;
  char *last_name;
  char *class_name;
} ChildInfo;

static void
child_info_free (ChildInfo *info)
{
  g_free (info->first_name);
  g_free (info->last_name);
  g_free (info->class_name);
  g_free (info);
}

static const char *
profile_cell (SesameProfile profile)
{
  switch (profile)
    {
    case SESAME_PROFILE_ELEVE:
      return "Eleve";
    case SESAME_PROFILE_PARENT:
      return "Tuteur";
    case SESAME_PROFILE_COLLECTIVITE:
      return "Collectivite";
    case SESAME_PROFILE_AUTRE:
    default:
      return "Autre";
    }
}

static gboolean
is_father (int relationship)
{
  return relationship == 1 || relationship == 20;
}

static gboolean
is_mother (int relationship)
{
  return relationship == 2 || relationship == 10;
}

static char *
address_one_line (const char *address)
{
  g_auto(GStrv) lines = g_strsplit (address, "\n", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_strv_builder_add (kept, lines[i]);
  parts = g_strv_builder_end (kept);
  return g_strjoinv (", ", parts);
}

static gboolean
render_csv (SesameStore  *self,
            const char   *file_id,
            const char   *uai,
            GString      *csv,
            guint        *n_accounts,
            GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) file_row_free);
  g_autoptr(GHashTable) in_file = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) guardians_of = NULL;
  g_autoptr(GHashTable) child_of = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GString) line = g_string_sized_new (256);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self,
                                "SELECT p.key, p.profile, p.first_name, p.last_name, p.address, p.postal_code, p.city,"
                                " p.country, a.login, a.first_sign_in_at IS NOT NULL,"
                                " a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL,"
                                " (SELECT c.password FROM credentials c WHERE c.person_key = p.key"
                                "   AND c.password IS NOT NULL AND c.used_at IS NULL AND c.revoked_at IS NULL"
                                "   AND c.expires_at > ?2 ORDER BY c.created_at DESC, c.rowid DESC LIMIT 1),"
                                " (SELECT m.code FROM memberships m WHERE m.person_key = p.key AND m.kind = 'class'"
                                "   AND m.deleted_at IS NULL ORDER BY m.code LIMIT 1)"
                                " FROM identifier_file_accounts f"
                                " JOIN persons p ON p.key = f.person_key AND p.deleted_at IS NULL"
                                " JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " WHERE f.file_id = ?1 AND p.profile IN (1, 2, 5, 6)"
                                " ORDER BY p.profile, p.key",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FileRow *row = g_new0 (FileRow, 1);

      row->key = g_strdup (_sesame_column_text (stmt, 0));
      row->profile = sqlite3_column_int (stmt, 1);
      row->first_name = g_strdup (_sesame_column_text (stmt, 2));
      row->last_name = g_strdup (_sesame_column_text (stmt, 3));
      row->address = address_one_line (_sesame_column_text (stmt, 4));
      row->postal_code = g_strdup (_sesame_column_text (stmt, 5));
      row->city = g_strdup (_sesame_column_text (stmt, 6));
      row->country = g_strdup (_sesame_column_text (stmt, 7));
      row->login = g_strdup (_sesame_column_text (stmt, 8));
      row->activated = sqlite3_column_int (stmt, 9) != 0;
      row->disabled = sqlite3_column_int (stmt, 10) != 0;
      if (sqlite3_column_type (stmt, 11) != SQLITE_NULL)
        row->password = g_strdup (_sesame_column_text (stmt, 11));
      row->class_name = g_strdup (_sesame_column_text (stmt, 12));
      row->sort_key = row_sort_key (row);
      g_ptr_array_add (rows, row);
      g_hash_table_add (in_file, row->key);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }

  g_ptr_array_sort (rows, compare_rows);
  prefix = _sesame_store_dup_prefixed_key (self, "");

  /* The guardians of the file's pupils and a child of each of its parents,
   * in two queries rather than one per row. */
  guardians_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  child_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) child_info_free);

  stmt = _sesame_store_prepare (self,
                                "SELECT g.pupil_key, g.parent_key, g.relationship FROM identifier_file_accounts f"
                                " JOIN guardians g ON g.pupil_key = f.person_key AND g.deleted_at IS NULL"
                                " WHERE f.file_id = ? ORDER BY g.pupil_key, g.relationship, g.parent_key",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *pupil = _sesame_column_text (stmt, 0);
      GPtrArray *links = g_hash_table_lookup (guardians_of, pupil);
      GuardianLink *link = g_new0 (GuardianLink, 1);

      if (links == NULL)
        {
          links = g_ptr_array_new_with_free_func ((GDestroyNotify) guardian_link_free);
          g_hash_table_insert (guardians_of, g_strdup (pupil), links);
        }
      link->parent = g_strdup (_sesame_column_text (stmt, 1));
      link->relationship = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (links, link);
    }
  sqlite3_reset (stmt);

  stmt = _sesame_store_prepare (self,
                                "SELECT g.parent_key, c.first_name, c.last_name,"
                                " (SELECT m.code FROM memberships m WHERE m.person_key = c.key"
                                "  AND m.kind = 'class' AND m.deleted_at IS NULL ORDER BY m.code LIMIT 1)"
                                " FROM identifier_file_accounts f"
                                " JOIN guardians g ON g.parent_key = f.person_key AND g.deleted_at IS NULL"
                                " JOIN persons c ON c.key = g.pupil_key AND c.deleted_at IS NULL"
                                " WHERE f.file_id = ?"
                                " ORDER BY g.parent_key, c.left_at IS NOT NULL, c.last_name, c.first_name",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *parent = _sesame_column_text (stmt, 0);
      ChildInfo *info;

      /* The first child in order, preferring one still at school. */
      if (g_hash_table_contains (child_of, parent))
        continue;
      info = g_new0 (ChildInfo, 1);
      info->first_name = g_strdup (_sesame_column_text (stmt, 1));
      info->last_name = g_strdup (_sesame_column_text (stmt, 2));
      info->class_name = g_strdup (_sesame_column_text (stmt, 3));
      g_hash_table_insert (child_of, g_strdup (parent), info);
    }
  sqlite3_reset (stmt);

  /* UTF-8 with a byte-order mark, so that Excel reads the accents. */
  g_string_append (csv, "\xEF\xBB\xBF" CSV_HEADER "\r\n");

  for (guint i = 0; i < rows->len; i++)
    {
      FileRow *row = g_ptr_array_index (rows, i);
      g_autofree char *joint = g_strdup_printf ("%s%s", prefix, row->key);
      const char *father = NULL, *mother = NULL, *tutors[2] = { NULL, NULL };
      ChildInfo *child = NULL;
      const char *password;

      if (row->password != NULL)
        password = row->password;
      else if (row->disabled)
        password = _("account disabled");
      else if (row->activated)
        password = _("password already personalised");
      else
        password = _("password expired: regenerate it");

      if (row->profile == SESAME_PROFILE_ELEVE)
        {
          GPtrArray *links = g_hash_table_lookup (guardians_of, row->key);

          for (guint l = 0; links != NULL && l < links->len; l++)
            {
              GuardianLink *link = g_ptr_array_index (links, l);

              if (!g_hash_table_contains (in_file, link->parent))
                continue;
              if (is_father (link->relationship) && father == NULL)
                father = link->parent;
              else if (is_mother (link->relationship) && mother == NULL)
                mother = link->parent;
              else if (tutors[0] == NULL)
                tutors[0] = link->parent;
              else if (tutors[1] == NULL)
                tutors[1] = link->parent;
            }
        }
      else if (row->profile == SESAME_PROFILE_PARENT)
        child = g_hash_table_lookup (child_of, row->key);

      g_string_truncate (line, 0);
      sesame_csv_append_cell (line, uai);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->key);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->profile == SESAME_PROFILE_PARENT ? (child ? child->class_name : NULL) : row->class_name);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, profile_cell (row->profile));
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->first_name);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->last_name);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->login);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, password);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, joint);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, father);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, mother);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, tutors[0]);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, tutors[1]);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, child ? child->first_name : NULL);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, child ? child->last_name : NULL);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->address);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->postal_code);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->city);
      g_string_append_c (line, ';');
      sesame_csv_append_cell (line, row->country);
      g_string_append (line, "\r\n");
      g_string_append_len (csv, line->str, line->len);
    }

  if (n_accounts != NULL)
    *n_accounts = rows->len;
  return TRUE;
}

/* Columns: id, name, establishment, generated_at, since, size, accounts. */
static SesameIdentifierFile *
file_from_row (sqlite3_stmt *stmt)
{
  SesameIdentifierFile *file = g_new0 (SesameIdentifierFile, 1);

  file->id = g_strdup (_sesame_column_text (stmt, 0));
  file->name = g_strdup (_sesame_column_text (stmt, 1));
  file->establishment = g_strdup (_sesame_column_text (stmt, 2));
  file->generated_at = sqlite3_column_int64 (stmt, 3);
  file->since = sqlite3_column_int64 (stmt, 4);
  file->size = sqlite3_column_int64 (stmt, 5);
  file->accounts = sqlite3_column_int (stmt, 6);
  return file;
}

static SesameIdentifierFile *
load_file (SesameStore  *self,
           const char   *id,
           GError      **error)
{
  SesameIdentifierFile *file = NULL;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "SELECT id, name, establishment, generated_at, since, size, accounts"
                                " FROM identifier_files WHERE id = ? AND deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    file = file_from_row (stmt);
  sqlite3_reset (stmt);

  if (file == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("No identifier file has the id “%s”. Run “sesamectl files list” to see them."), id);
  return file;
}

/**
 * sesame_store_list_identifier_files:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SesameIdentifierFile): the
 *   identifier files, newest first; administrators only
 */
GPtrArray *
sesame_store_list_identifier_files (SesameStore  *self,
                                    GError      **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_identifier_file_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "SELECT id, name, establishment, generated_at, since, size, accounts"
                                " FROM identifier_files WHERE deleted_at IS NULL"
                                " ORDER BY generated_at DESC, rowid DESC",
                                error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (files, file_from_row (stmt));
  sqlite3_reset (stmt);
  return g_steal_pointer (&files);
}

static gboolean
update_size (SesameStore  *self,
             const char   *id,
             gsize         size,
             guint         accounts,
             GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self, "UPDATE identifier_files SET size = ?2, accounts = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_int (stmt, 3, accounts);
  return _sesame_store_step_done (self, stmt, error);
}

static char *
insert_file (SesameStore  *self,
             const char   *uai,
             gint64        since,
             const char   *import_id,
             GError      **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("ENT-Identifiants-%s.csv", uai);
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO identifier_files (id, name, establishment, generated_at, since, import_id, operator)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, uai, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sesame_store_now (self));
  if (since > 0)
    sqlite3_bind_int64 (stmt, 5, since);
  if (import_id != NULL)
    sqlite3_bind_text (stmt, 6, import_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
finish_file (SesameStore  *self,
             const char   *id,
             const char   *uai,
             GError      **error)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  guint accounts = 0;

  gboolean ok;

  if (!render_csv (self, id, uai, csv, &accounts, error))
    return FALSE;
  ok = update_size (self, id, csv->len, accounts, error);
  /* Only its size was needed: do not leave passwords lying in memory. */
  sodium_memzero (csv->str, csv->len);
  return ok;
}

char *
_sesame_store_record_identifier_file (SesameStore        *self,
                                      const char         *uai,
                                      const char         *import_id,
                                      const char * const *person_keys,
                                      guint               n_keys,
                                      GError            **error)
{
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_assert (SESAME_IS_STORE (self));

  id = insert_file (self, uai, 0, import_id, error);
  if (id == NULL)
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "INSERT OR IGNORE INTO identifier_file_accounts (file_id, person_key) VALUES (?, ?)",
                                error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < n_keys; i++)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, person_keys[i], -1, SQLITE_TRANSIENT);
      if (!_sesame_store_step_done (self, stmt, error))
        return NULL;
    }

  if (!finish_file (self, id, uai, error) ||
      !_sesame_store_audit (self, "generate-file", id, uai, error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * sesame_store_generate_identifier_file:
 * @self: a #SesameStore
 * @uai: the establishment's UAI
 * @since: only accounts created since then (seconds since the Unix epoch),
 *   or 0 for all
 * @error: return location for a #GError
 *
 * Records a new identifier file of the establishment's accounts that Sésame
 * distributes: its pupils, their guardians and its other local accounts,
 * not the accounts of people who left. Administrators only.
 *
 * Returns: (transfer full): the new file, or %NULL with @error set
 */
SesameIdentifierFile *
sesame_store_generate_identifier_file (SesameStore  *self,
                                       const char   *uai,
                                       gint64        since,
                                       GError      **error)
{
  g_autoptr(SesameEstablishment) establishment = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (uai != NULL, NULL);

  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  establishment = sesame_store_find_establishment (self, uai, error);
  if (establishment == NULL)
    return NULL;

  if (!_sesame_store_begin (self, error))
    return NULL;

  id = insert_file (self, establishment->uai, since, NULL, error);
  if (id == NULL)
    goto fail;

  /* Every structure with this UAI: an establishment may appear under
   * several directory keys across exports. */
  stmt = _sesame_store_prepare (self,
                                "INSERT OR IGNORE INTO identifier_file_accounts (file_id, person_key)"
                                " SELECT ?1, p.key FROM persons p JOIN accounts a ON a.person_key = p.key"
                                " WHERE p.deleted_at IS NULL AND p.left_at IS NULL AND a.deleted_at IS NULL"
                                " AND a.disabled_at IS NULL AND a.created_at >= ?3 AND p.profile IN (1, 2, 5, 6)"
                                " AND (p.structure IN (SELECT jointure FROM establishments WHERE uai = ?2)"
                                "  OR (p.profile = 2 AND EXISTS (SELECT 1 FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                "   WHERE g.parent_key = p.key AND g.deleted_at IS NULL AND c.left_at IS NULL"
                                "   AND c.structure IN (SELECT jointure FROM establishments WHERE uai = ?2))))",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, establishment->uai, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, since);
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;

  if (!finish_file (self, id, establishment->uai, error) ||
      !_sesame_store_audit (self, "generate-file", id, establishment->uai, error))
    goto fail;
  if (!_sesame_store_commit (self, error))
    return NULL;
  return load_file (self, id, error);

fail:
  _sesame_store_rollback (self);
  return NULL;
}

/**
 * sesame_store_render_identifier_file:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * Renders the CSV as it stands now: UTF-8 with a byte-order mark, `;`
 * separated, CRLF line ends, no quoting, the header GEPI expects. Passwords
 * that no longer work are replaced by words saying why. Administrators only.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set
 */
GBytes *
sesame_store_render_identifier_file (SesameStore  *self,
                                     const char   *id,
                                     GError      **error)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  GString *csv;
  guint accounts = 0;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  file = load_file (self, id, error);
  if (file == NULL)
    return NULL;

  csv = g_string_new (NULL);
  /* One snapshot and one lock for the whole file. */
  if (!_sesame_store_begin_read (self, error))
    {
      g_string_free (csv, TRUE);
      return NULL;
    }
  if (!render_csv (self, id, file->establishment, csv, &accounts, error))
    {
      _sesame_store_rollback (self);
      g_string_free (csv, TRUE);
      return NULL;
    }
  _sesame_store_commit (self, NULL);
  if ((gint64) csv->len != file->size || accounts != file->accounts)
    update_size (self, id, csv->len, accounts, NULL);
  return g_string_free_to_bytes (csv);
}

/**
 * sesame_store_export_identifier_file:
 * @self: a #SesameStore
 * @id: the file's id
 * @path: where to write it
 * @error: return location for a #GError
 *
 * Writes the CSV, readable by its owner only: it holds passwords.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_store_export_identifier_file (SesameStore  *self,
                                     const char   *id,
                                     const char   *path,
                                     GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = sesame_store_render_identifier_file (self, id, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  if (!g_file_set_contents_full (path, data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }
  /* g_file_set_contents_full() keeps the mode of a file it replaces. */
  g_chmod (path, 0600);

  return _sesame_store_audit (self, "export-file", id, path, error);
}

/**
 * sesame_store_delete_identifier_file:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * Removes a file from the list. Administrators only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_store_delete_identifier_file (SesameStore  *self,
                                     const char   *id,
                                     GError      **error)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return FALSE;
  file = load_file (self, id, error);
  if (file == NULL)
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  stmt = _sesame_store_prepare (self, "UPDATE identifier_files SET deleted_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_store_audit (self, "delete-file", id, file->name, error))
    goto fail;
  return _sesame_store_commit (self, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

/**
 * sesame_store_list_identifier_file_keys:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * The accounts of a file, to print their slips or letters.
 *
 * Returns: (transfer full): the directory keys, or %NULL with @error set
 */
char **
sesame_store_list_identifier_file_keys (SesameStore  *self,
                                        const char   *id,
                                        GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(SesameIdentifierFile) file = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  file = load_file (self, id, error);
  if (file == NULL)
    return NULL;

  stmt = _sesame_store_prepare (self, "SELECT person_key FROM identifier_file_accounts WHERE file_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, _sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}
