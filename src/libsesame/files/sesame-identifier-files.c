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
#include "sesame-document-language-private.h"
#include "sesame-identifier-files-private.h"
#include "sesame-xlsx-writer-private.h"

/* The columns GEPI expects, in its order. */
#define N_COLUMNS 19
static const char * const column_names[N_COLUMNS] = {
  "rne", "uid", "classe", "profil", "prenom", "nom", "login", "mot de passe", "cle de jointure",
  "uid pere", "uid mere", "uid tuteur1", "uid tuteur2", "prenom enfant", "nom enfant",
  "adresse", "code postal", "ville", "pays",
};

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
  copy->import_id = g_strdup (file->import_id);
  copy->establishment_name = g_strdup (file->establishment_name);
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
  g_free (file->import_id);
  g_free (file->establishment_name);
  g_free (file);
}

/* A day in the words of the files' table: the day, not the time. */
static char *
format_day (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup ("");
  /* TRANSLATORS: a date in the table of identifier files, see strftime(3) */
  return g_date_time_format (time, _("%Y-%m-%d"));
}

/**
 * sesame_identifier_file_dup_contents:
 * @file: a #SesameIdentifierFile
 *
 * Says which accounts a file lists: those an import created, those created
 * since a day, or all of an establishment's.
 *
 * Returns: (transfer full): e.g. "Accounts created by the import of
 *   2026-09-01"
 */
char *
sesame_identifier_file_dup_contents (const SesameIdentifierFile *file)
{
  g_autofree char *day = NULL;

  g_return_val_if_fail (file != NULL, NULL);

  if (file->import_id != NULL)
    {
      day = format_day (file->generated_at);
      return g_strdup_printf (_("Accounts created by the import of %s"), day);
    }
  if (file->since > 0)
    {
      day = format_day (file->since);
      return g_strdup_printf (_("Accounts created since %s"), day);
    }
  return g_strdup (_("All accounts"));
}

/**
 * sesame_identifier_file_dup_profiles:
 * @file: a #SesameIdentifierFile from sesame_identifier_files_list()
 *
 * Says whose accounts a file lists, profile by profile: files of one
 * establishment all bear the same name, and this tells a file of new
 * pupils from a file of their parents.
 *
 * Returns: (transfer full): e.g. "312 pupils, 540 parents", or an empty
 *   string for a file that lists no account
 */
char *
sesame_identifier_file_dup_profiles (const SesameIdentifierFile *file)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (file != NULL, NULL);

  for (SesameProfile profile = SESAME_PROFILE_NONE; profile < SESAME_N_PROFILES; profile++)
    {
      guint n = file->profile_accounts[profile];

      if (n == 0)
        continue;
      if (text->len > 0)
        /* Translators: between the counts of two profiles, "312 pupils, 540 parents" */
        g_string_append (text, _(", "));
      switch (profile)
        {
        case SESAME_PROFILE_ELEVE:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u pupil", "%u pupils", n), n);
          break;
        case SESAME_PROFILE_PARENT:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u parent", "%u parents", n), n);
          break;
        case SESAME_PROFILE_COLLECTIVITE:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u member of local authority staff",
                                                     "%u members of local authority staff", n), n);
          break;
        default:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u other account", "%u other accounts", n), n);
          break;
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * sesame_identifier_file_path_is_spreadsheet:
 * @path: where a file is to be written
 *
 * Returns: whether @path names a spreadsheet (`.xlsx`) rather than a CSV
 */
gboolean
sesame_identifier_file_path_is_spreadsheet (const char *path)
{
  gsize length;

  g_return_val_if_fail (path != NULL, FALSE);

  length = strlen (path);
  return length >= 5 && g_ascii_strcasecmp (path + length - 5, ".xlsx") == 0;
}

/* Cleans one cell into @out: quotes, tabs and line breaks never reach a
 * cell. With @no_separators, neither does a comma or a semicolon: both
 * become " - ", as between address lines (LibreOffice's default import
 * splits on commas and tabs as well as semicolons, and GEPI splits on
 * semicolons without quoting); otherwise a semicolon becomes a comma.
 * With @escape_formula, a cell that a spreadsheet would run as a formula
 * is prefixed with an apostrophe (an xlsx string cell needs none). */
static void
append_clean_cell (GString    *out,
                   const char *value,
                   gboolean    no_separators,
                   gboolean    escape_formula)
{
  gsize start = out->len;
  gsize clean = 0;
  gboolean separator = FALSE;

  if (value == NULL)
    return;

  /* Most cells need no change: they are copied in one go. */
  if (value[0] != ' ' && strchr ("=+-@", value[0]) == NULL)
    {
      while (value[clean] != '\0' && value[clean] != ';' && (value[clean] != ',' || !no_separators) &&
             value[clean] != '"' && (unsigned char) value[clean] >= 0x20 && value[clean] != 0x7f)
        clean++;
      if (value[clean] == '\0' && (clean == 0 || value[clean - 1] != ' '))
        {
          g_string_append_len (out, value, clean);
          return;
        }
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      if ((c == ';' || c == ',') && no_separators)
        {
          separator = out->len > start;
          continue;
        }
      if (c == ';')
        c = ',';
      else if (c == '"')
        c = '\'';
      else if (c < 0x20 || c == 0x7f)
        c = ' ';

      /* Leading blanks (where a tab or CR stood) are dropped, so that the
       * formula check sees the first real character; blanks around a
       * separator are folded into it. */
      if (c == ' ' && (out->len == start || separator))
        continue;
      if (separator)
        {
          while (out->len > start && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
          g_string_append (out, " - ");
          separator = FALSE;
        }
      g_string_append_c (out, (char) c);
    }

  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  if (escape_formula && out->len > start && strchr ("=+-@", out->str[start]) != NULL)
    g_string_insert_c (out, start, '\'');
}

/**
 * sesame_csv_append_cell:
 * @line: the line being written
 * @value: (nullable): the cell's text
 *
 * Appends one cell of a `;`-separated file that LibreOffice, Excel and GEPI
 * read without quoting: separators, quotes, tabs and line breaks become
 * commas or spaces, and a cell that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-` or `@`) is prefixed with an apostrophe.
 */
void
sesame_csv_append_cell (GString    *line,
                        const char *value)
{
  g_return_if_fail (line != NULL);

  append_clean_cell (line, value, FALSE, TRUE);
}

/* A cell of the identifier file: as sesame_csv_append_cell(), and
 * neither comma nor semicolon, whichever separators a spreadsheet splits
 * on. */
void
_sesame_identifier_file_append_cell (GString    *line,
                                     const char *value)
{
  append_clean_cell (line, value, TRUE, TRUE);
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
 * sesame_identifier_files_list_establishments:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SesameEstablishment): the
 *   establishments of the store, by name
 */
GPtrArray *
sesame_identifier_files_list_establishments (SesameStore  *self,
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
 * sesame_identifier_files_find_establishment:
 * @self: a #SesameStore
 * @uai_or_jointure: a UAI or a structure's directory key
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the establishment, or %NULL with @error set
 */
SesameEstablishment *
sesame_identifier_files_find_establishment (SesameStore  *self,
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
  g_autofree char *prefix = sesame_store_settings_dup (self, SESAME_SETTING_ACADEMY_PREFIX, NULL);
  sqlite3_stmt *stmt;

  if (prefix == NULL)
    {
      /* The person's academy, or for a parent their child's. */
      stmt = _sesame_store_prepare (self,
                                    "SELECT e.academy FROM persons p JOIN establishments e ON e.jointure = p.structure"
                                    " WHERE p.key = ?1 AND e.academy <> ''"
                                    " UNION ALL SELECT e.academy FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                    " JOIN establishments e ON e.jointure = c.structure WHERE g.parent_key = ?1"
                                    " AND g.deleted_at IS NULL AND e.academy <> '' LIMIT 1",
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

/**
 * sesame_identifier_files_dup_qualified_key:
 * @self: a #SesameStore
 * @person_key: a directory key
 *
 * The key as the identifier files write it: with the academy's prefix,
 * e.g. `AC-GRENOBLE$2605692`, when the academy is known.
 *
 * Returns: (transfer full): the key, prefixed when it can be
 */
char *
sesame_identifier_files_dup_qualified_key (SesameStore *self,
                                           const char  *person_key)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (person_key != NULL, NULL);

  return _sesame_store_dup_prefixed_key (self, person_key);
}

/* The guardians of a pupil that a row can name: father, mother and two
 * tutors. */
#define N_GUARDIAN_CELLS 4

typedef struct _FileRow FileRow;

typedef struct
{
  const char *key;
  int         relationship;
} GuardianLink;

/* A row of the file. Its strings live in the render's string chunk: a
 * file of fifty thousand accounts would otherwise make six hundred
 * thousand small allocations. */
struct _FileRow
{
  const char    *key;
  SesameProfile  profile;
  const char    *first_name;
  const char    *last_name;
  const char    *address;
  const char    *postal_code;
  const char    *city;
  const char    *country;
  const char    *login;
  const char    *password;
  const char    *class_name;
  const char    *academy;
  gboolean       activated;
  gboolean       disabled;
  gboolean       left;
  const char    *sort_key;

  /* A pupil's guardians in the file, in relationship and key order. */
  GuardianLink   guardians[N_GUARDIAN_CELLS * 2];
  guint          n_guardians;

  /* A parent's child: the first still at school, by last and first name. */
  const char    *child_key;
  const char    *child_first_name;
  const char    *child_last_name;
  const char    *child_class;
  gboolean       child_left;
};

typedef struct
{
  GStringChunk *strings;
  GArray       *rows;       /* FileRow */
  GHashTable   *by_key;     /* key → index + 1 in rows */
} FileRows;

static void
file_rows_clear (FileRows *file_rows)
{
  g_clear_pointer (&file_rows->by_key, g_hash_table_unref);
  g_clear_pointer (&file_rows->rows, g_array_unref);
  g_clear_pointer (&file_rows->strings, g_string_chunk_free);
}

static FileRow *
file_rows_lookup (FileRows   *file_rows,
                  const char *key)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (file_rows->by_key, key));

  return index > 0 ? &g_array_index (file_rows->rows, FileRow, index - 1) : NULL;
}

static const char *
chunk_column (FileRows     *file_rows,
              sqlite3_stmt *stmt,
              int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL || *text == '\0')
    return "";
  return g_string_chunk_insert_len (file_rows->strings, text, sqlite3_column_bytes (stmt, column));
}

/* Rows sort by profile, class, last name and first name, accents and case
 * aside. The key is computed once per row: transliterating in every
 * comparison made sorting the slowest part of a large file. */
static const char *
row_sort_key (FileRows *file_rows,
              FileRow  *row,
              GString  *scratch)
{
  g_autofree char *ascii = NULL;

  g_string_printf (scratch, "%d\x01%s\x01%s\x01%s\x01", row->profile, row->class_name,
                   row->last_name, row->first_name);
  ascii = g_str_to_ascii (scratch->str, "C");
  g_string_assign (scratch, ascii);
  for (gsize i = 0; i < scratch->len; i++)
    scratch->str[i] = g_ascii_tolower (scratch->str[i]);
  g_string_append (scratch, row->key);
  return g_string_chunk_insert_len (file_rows->strings, scratch->str, scratch->len);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const FileRow *ra = *(const FileRow * const *) a;
  const FileRow *rb = *(const FileRow * const *) b;

  return strcmp (ra->sort_key, rb->sort_key);
}

static int
compare_guardian_links (gconstpointer a,
                        gconstpointer b)
{
  const GuardianLink *la = a;
  const GuardianLink *lb = b;

  if (la->relationship != lb->relationship)
    return la->relationship < lb->relationship ? -1 : 1;
  return strcmp (la->key, lb->key);
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

/* A multi-line directory address on one line, its lines joined by " - ":
 * a comma would split the cell in a spreadsheet's default CSV import. */
static const char *
address_one_line (FileRows     *file_rows,
                  sqlite3_stmt *stmt,
                  int           column,
                  GString      *scratch)
{
  const char *address = _sesame_column_text (stmt, column);
  const char *line = address;

  if (strchr (address, '\n') == NULL)
    return chunk_column (file_rows, stmt, column);

  g_string_truncate (scratch, 0);
  while (line != NULL)
    {
      const char *next = strchr (line, '\n');
      const char *end = next != NULL ? next : line + strlen (line);

      while (line < end && g_ascii_isspace (*line))
        line++;
      while (end > line && g_ascii_isspace (end[-1]))
        end--;
      if (end > line)
        {
          if (scratch->len > 0)
            g_string_append (scratch, " - ");
          g_string_append_len (scratch, line, end - line);
        }
      line = next != NULL ? next + 1 : NULL;
    }
  return g_string_chunk_insert_len (file_rows->strings, scratch->str, scratch->len);
}

/* Reads the file's rows, without links: one query, no sort in SQL (rows
 * are sorted on their transliterated keys afterwards). */
static gboolean
load_rows (SesameStore  *self,
           const char   *file_id,
           const char   *uai,
           FileRows     *file_rows,
           GError      **error)
{
  g_autoptr(GString) scratch = g_string_sized_new (256);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self, _sesame_profile_sql (
                                "SELECT p.key, p.profile, p.first_name, p.last_name, p.address, p.postal_code, p.city,"
                                " p.country, a.login, a.first_sign_in_at IS NOT NULL,"
                                " a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL,"
                                " (SELECT c.password FROM credentials c WHERE c.person_key = p.key"
                                "   AND c.password IS NOT NULL AND c.used_at IS NULL AND c.revoked_at IS NULL"
                                "   AND c.expires_at > ?2 ORDER BY c.created_at DESC, c.rowid DESC LIMIT 1),"
                                " (SELECT MIN (m.code) FROM memberships m WHERE m.person_key = p.key AND m.kind = 'class'"
                                "   AND m.deleted_at IS NULL),"
                                " p.left_at IS NOT NULL,"
                                /* The academy of the person's establishment, or of their
                                 * child's for a parent, or of the file's. */
                                " COALESCE ((SELECT e.academy FROM establishments e WHERE e.jointure = p.structure"
                                "   AND e.academy <> ''),"
                                "  (SELECT e.academy FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                "   JOIN establishments e ON e.jointure = c.structure WHERE g.parent_key = p.key"
                                "   AND g.pupil_key <> p.key AND g.deleted_at IS NULL AND e.academy <> ''"
                                "   ORDER BY c.left_at IS NOT NULL, e.uai = ?3 DESC LIMIT 1),"
                                "  (SELECT e.academy FROM establishments e WHERE e.uai = ?3 AND e.academy <> ''"
                                "   AND e.deleted_at IS NULL LIMIT 1))"
                                " FROM identifier_file_accounts f"
                                " JOIN persons p ON p.key = f.person_key AND p.deleted_at IS NULL"
                                " JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " WHERE f.file_id = ?1 AND p.profile IN " SESAME_SQL_DISTRIBUTABLE),
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  sqlite3_bind_text (stmt, 3, uai, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FileRow row = { 0, };

      row.key = chunk_column (file_rows, stmt, 0);
      row.profile = sqlite3_column_int (stmt, 1);
      row.first_name = chunk_column (file_rows, stmt, 2);
      row.last_name = chunk_column (file_rows, stmt, 3);
      row.address = address_one_line (file_rows, stmt, 4, scratch);
      row.postal_code = chunk_column (file_rows, stmt, 5);
      row.city = chunk_column (file_rows, stmt, 6);
      row.country = chunk_column (file_rows, stmt, 7);
      row.login = chunk_column (file_rows, stmt, 8);
      row.activated = sqlite3_column_int (stmt, 9) != 0;
      row.disabled = sqlite3_column_int (stmt, 10) != 0;
      if (sqlite3_column_type (stmt, 11) != SQLITE_NULL)
        row.password = chunk_column (file_rows, stmt, 11);
      row.class_name = chunk_column (file_rows, stmt, 12);
      row.left = sqlite3_column_int (stmt, 13) != 0;
      row.academy = chunk_column (file_rows, stmt, 14);
      row.sort_key = row_sort_key (file_rows, &row, scratch);
      g_array_append_val (file_rows->rows, row);
      g_hash_table_insert (file_rows->by_key, (gpointer) row.key, GUINT_TO_POINTER (file_rows->rows->len));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The guardians of the file's pupils that the file lists too. */
static gboolean
load_guardians (SesameStore  *self,
                const char   *file_id,
                FileRows     *file_rows,
                GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self,
                                "SELECT g.pupil_key, g.parent_key, g.relationship FROM identifier_file_accounts f"
                                " JOIN guardians g ON g.pupil_key = f.person_key AND g.deleted_at IS NULL"
                                " WHERE f.file_id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FileRow *pupil = file_rows_lookup (file_rows, _sesame_column_text (stmt, 0));
      FileRow *parent = file_rows_lookup (file_rows, _sesame_column_text (stmt, 1));

      /* A pupil recorded as their own guardian (the import warns of it)
       * is never written as their own father or mother. */
      if (pupil == NULL || parent == NULL || pupil == parent || pupil->profile != SESAME_PROFILE_ELEVE ||
          pupil->n_guardians == G_N_ELEMENTS (pupil->guardians))
        continue;
      pupil->guardians[pupil->n_guardians].key = parent->key;
      pupil->guardians[pupil->n_guardians].relationship = sqlite3_column_int (stmt, 2);
      pupil->n_guardians++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }

  for (guint i = 0; i < file_rows->rows->len; i++)
    {
      FileRow *row = &g_array_index (file_rows->rows, FileRow, i);

      if (row->n_guardians > 1)
        qsort (row->guardians, row->n_guardians, sizeof (GuardianLink), compare_guardian_links);
    }
  return TRUE;
}

static gboolean
child_is_better (FileRow    *parent,
                 gboolean    left,
                 const char *last_name,
                 const char *first_name)
{
  int order;

  if (parent->child_key == NULL)
    return TRUE;
  if (left != parent->child_left)
    return !left;
  order = strcmp (last_name, parent->child_last_name);
  if (order == 0)
    order = strcmp (first_name, parent->child_first_name);
  return order < 0;
}

/* A child of each of the file's parents, with the child's class. Most
 * children are in the file too and their rows say all; the others are
 * read from the store one by one. */
static gboolean
load_children (SesameStore  *self,
               const char   *file_id,
               FileRows     *file_rows,
               GError      **error)
{
  sqlite3_stmt *links, *child;
  int rc;

  links = _sesame_store_prepare (self,
                                 "SELECT g.parent_key, g.pupil_key FROM identifier_file_accounts f"
                                 " JOIN guardians g ON g.parent_key = f.person_key AND g.deleted_at IS NULL"
                                 " WHERE f.file_id = ?",
                                 error);
  if (links == NULL)
    return FALSE;
  /* Stepped while the links are: two statements of the store's cache. */
  child = _sesame_store_prepare (self,
                                 "SELECT c.first_name, c.last_name, c.left_at IS NOT NULL,"
                                 " (SELECT MIN (m.code) FROM memberships m WHERE m.person_key = c.key"
                                 "   AND m.kind = 'class' AND m.deleted_at IS NULL)"
                                 " FROM persons c WHERE c.key = ? AND c.deleted_at IS NULL",
                                 error);
  if (child == NULL)
    return FALSE;

  sqlite3_bind_text (links, 1, file_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (links)) == SQLITE_ROW)
    {
      FileRow *parent = file_rows_lookup (file_rows, _sesame_column_text (links, 0));
      const char *child_key = _sesame_column_text (links, 1);
      FileRow *in_file;
      int child_rc;

      if (parent == NULL || parent->profile != SESAME_PROFILE_PARENT || strcmp (parent->key, child_key) == 0)
        continue;

      in_file = file_rows_lookup (file_rows, child_key);
      if (in_file != NULL)
        {
          if (child_is_better (parent, in_file->left, in_file->last_name, in_file->first_name))
            {
              parent->child_key = in_file->key;
              parent->child_first_name = in_file->first_name;
              parent->child_last_name = in_file->last_name;
              parent->child_left = in_file->left;
              parent->child_class = in_file->class_name;
            }
          continue;
        }

      sqlite3_bind_text (child, 1, child_key, -1, SQLITE_STATIC);
      child_rc = sqlite3_step (child);
      if (child_rc == SQLITE_ROW &&
          child_is_better (parent, sqlite3_column_int (child, 2) != 0,
                           _sesame_column_text (child, 1), _sesame_column_text (child, 0)))
        {
          parent->child_key = g_string_chunk_insert (file_rows->strings, child_key);
          parent->child_first_name = chunk_column (file_rows, child, 0);
          parent->child_last_name = chunk_column (file_rows, child, 1);
          parent->child_left = sqlite3_column_int (child, 2) != 0;
          parent->child_class = chunk_column (file_rows, child, 3);
        }
      sqlite3_reset (child);
      if (child_rc != SQLITE_ROW && child_rc != SQLITE_DONE)
        {
          sqlite3_reset (links);
          _sesame_store_set_error (self, error);
          return FALSE;
        }
    }
  sqlite3_reset (links);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The cells of a row, in the order of column_names. */
typedef void (*RowFunc) (const char * const *cells,
                         gpointer            user_data);

static void
row_cells (const char  *uai,
           const char  *prefix,
           FileRow     *row,
           GString     *joint,
           const char **cells)
{
  const char *father = NULL, *mother = NULL, *tutors[2] = { NULL, NULL };
  const char *password;

  /* The academy's prefix: the one set for the store, or "AC-" and the
   * academy of the person's own establishment. */
  g_string_truncate (joint, 0);
  if (prefix != NULL && *prefix != '\0')
    g_string_append_printf (joint, "%s$", prefix);
  else if (*row->academy != '\0')
    g_string_append_printf (joint, "AC-%s$", row->academy);
  g_string_append (joint, row->key);

  if (row->password != NULL)
    password = row->password;
  else if (row->disabled)
    password = _("account disabled");
  else if (row->activated)
    password = _("password already personalised");
  else
    password = _("password expired: regenerate it");

  for (guint l = 0; l < row->n_guardians; l++)
    {
      const GuardianLink *link = &row->guardians[l];

      if (is_father (link->relationship) && father == NULL)
        father = link->key;
      else if (is_mother (link->relationship) && mother == NULL)
        mother = link->key;
      else if (tutors[0] == NULL)
        tutors[0] = link->key;
      else if (tutors[1] == NULL)
        tutors[1] = link->key;
    }

  cells[0] = uai;
  cells[1] = row->key;
  cells[2] = row->profile == SESAME_PROFILE_PARENT ? row->child_class : row->class_name;
  cells[3] = profile_cell (row->profile);
  cells[4] = row->first_name;
  cells[5] = row->last_name;
  cells[6] = row->login;
  cells[7] = password;
  cells[8] = joint->str;
  cells[9] = father;
  cells[10] = mother;
  cells[11] = tutors[0];
  cells[12] = tutors[1];
  cells[13] = row->child_first_name;
  cells[14] = row->child_last_name;
  cells[15] = row->address;
  cells[16] = row->postal_code;
  cells[17] = row->city;
  cells[18] = row->country;
}

/* Reads the file's accounts as they stand and hands each row's cells to
 * @func, sorted by profile, class and name. */
static gboolean
render_rows (SesameStore  *self,
             const char   *file_id,
             const char   *uai,
             RowFunc       func,
             gpointer      user_data,
             guint        *n_accounts,
             GError      **error)
{
  FileRows file_rows = { 0, };
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GString) joint = g_string_new (NULL);
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;
  guint n_rows = 0;
  gboolean ok;

  /* Sized once: a file of fifty thousand rows would otherwise copy its
   * rows a dozen times as the array grows. */
  stmt = _sesame_store_prepare (self, "SELECT COUNT (*) FROM identifier_file_accounts WHERE file_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_rows = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  file_rows.strings = g_string_chunk_new (1 << 20);
  file_rows.rows = g_array_sized_new (FALSE, FALSE, sizeof (FileRow), MAX (n_rows, 16));
  file_rows.by_key = g_hash_table_new (g_str_hash, g_str_equal);

  ok = load_rows (self, file_id, uai, &file_rows, error) &&
       load_guardians (self, file_id, &file_rows, error) &&
       load_children (self, file_id, &file_rows, error);
  if (!ok)
    {
      file_rows_clear (&file_rows);
      return FALSE;
    }

  /* Sorted through pointers: rows are large. */
  order = g_ptr_array_sized_new (file_rows.rows->len);
  for (guint i = 0; i < file_rows.rows->len; i++)
    g_ptr_array_add (order, &g_array_index (file_rows.rows, FileRow, i));
  g_ptr_array_sort (order, compare_rows);

  prefix = sesame_store_settings_dup (self, SESAME_SETTING_ACADEMY_PREFIX, NULL);

  /* Every cell is in the document language: GEPI's mail merge looks for
   * its exact words, whatever the desk's locale. */
  _sesame_store_push_document_language (self);
  for (guint i = 0; i < order->len; i++)
    {
      const char *cells[N_COLUMNS];

      row_cells (uai, prefix, g_ptr_array_index (order, i), joint, cells);
      func (cells, user_data);
    }
  _sesame_document_language_pop ();

  if (n_accounts != NULL)
    *n_accounts = file_rows.rows->len;

  /* The strings hold first passwords: wipe them before they are freed. */
  for (guint i = 0; i < file_rows.rows->len; i++)
    {
      FileRow *row = &g_array_index (file_rows.rows, FileRow, i);

      if (row->password != NULL)
        sodium_memzero ((char *) row->password, strlen (row->password));
    }
  file_rows_clear (&file_rows);
  return TRUE;
}

static void
append_csv_row (const char * const *cells,
                gpointer            user_data)
{
  GString *csv = user_data;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (c > 0)
        g_string_append_c (csv, ';');
      append_clean_cell (csv, cells[c], TRUE, TRUE);
    }
  g_string_append (csv, "\r\n");
}

static gboolean
render_csv (SesameStore  *self,
            const char   *file_id,
            const char   *uai,
            GString      *csv,
            guint        *n_accounts,
            GError      **error)
{
  guint n_rows = 0;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self, "SELECT COUNT (*) FROM identifier_file_accounts WHERE file_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_rows = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  /* About 140 bytes a row: one allocation rather than a dozen doublings. */
  g_string_set_size (csv, 0);
  if (csv->allocated_len < (gsize) n_rows * 160)
    {
      g_string_set_size (csv, (gsize) n_rows * 160);
      g_string_truncate (csv, 0);
    }

  /* UTF-8 with a byte-order mark, so that Excel reads the accents. */
  g_string_append (csv, "\xEF\xBB\xBF");
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (c > 0)
        g_string_append_c (csv, ';');
      g_string_append (csv, column_names[c]);
    }
  g_string_append (csv, "\r\n");

  return render_rows (self, file_id, uai, append_csv_row, csv, n_accounts, error);
}

/* Columns: id, name, establishment, generated_at, since, size, accounts,
 * import_id. */
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
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    file->import_id = g_strdup (_sesame_column_text (stmt, 7));
  if (sqlite3_column_count (stmt) > 8 && sqlite3_column_type (stmt, 8) != SQLITE_NULL &&
      *_sesame_column_text (stmt, 8) != '\0')
    file->establishment_name = g_strdup (_sesame_column_text (stmt, 8));
  return file;
}

/* The establishment's name of a file, in the statements that read files:
 * every file of an establishment bears the same name, and a UAI alone
 * tells a secretary little. */
#define ESTABLISHMENT_NAME_SQL \
  "(SELECT e.name FROM establishments e WHERE e.uai = f.establishment" \
  " ORDER BY e.deleted_at IS NOT NULL, e.name = '' LIMIT 1)"

/* Counts, profile by profile, the accounts of the files of @by_id (id →
 * file) as an export renders them; only those of @only_id when not %NULL. */
static gboolean
count_profiles (SesameStore  *self,
                GHashTable   *by_id,
                const char   *only_id,
                GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self, _sesame_profile_sql (
                                "SELECT f.file_id, p.profile, COUNT (*) FROM identifier_file_accounts f"
                                " JOIN identifier_files i ON i.id = f.file_id AND i.deleted_at IS NULL"
                                " JOIN persons p ON p.key = f.person_key AND p.deleted_at IS NULL"
                                " JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " WHERE p.profile IN " SESAME_SQL_DISTRIBUTABLE
                                " AND (?1 IS NULL OR f.file_id = ?1)"
                                " GROUP BY f.file_id, p.profile"),
                                error);
  if (stmt == NULL)
    return FALSE;
  if (only_id != NULL)
    sqlite3_bind_text (stmt, 1, only_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameIdentifierFile *file = g_hash_table_lookup (by_id, _sesame_column_text (stmt, 0));
      int profile = sqlite3_column_int (stmt, 1);

      if (file != NULL && profile >= 0 && profile < SESAME_N_PROFILES)
        file->profile_accounts[profile] = (guint) sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static SesameIdentifierFile *
load_file (SesameStore  *self,
           const char   *id,
           GError      **error)
{
  SesameIdentifierFile *file = NULL;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "SELECT f.id, f.name, f.establishment, f.generated_at, f.since, f.size, f.accounts,"
                                " f.import_id, " ESTABLISHMENT_NAME_SQL
                                " FROM identifier_files f WHERE f.id = ? AND f.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    file = file_from_row (stmt);
  sqlite3_reset (stmt);

  if (file != NULL)
    {
      g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (by_id, file->id, file);
      if (!count_profiles (self, by_id, file->id, error))
        {
          sesame_identifier_file_free (file);
          return NULL;
        }
    }

  if (file == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("No identifier file has the id “%s”. Run “sesamectl files list” to see them."), id);
  return file;
}

/**
 * sesame_identifier_files_list:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SesameIdentifierFile): the
 *   identifier files, newest first; administrators only
 */
GPtrArray *
sesame_identifier_files_list (SesameStore  *self,
                              GError      **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_identifier_file_free);
  g_autoptr(GHashTable) by_id = NULL;
  g_auto(GStrv) mine = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  /* Administrators of some establishments see the files of those only. */
  mine = sesame_store_operator_dup_administered_establishments (self);

  stmt = _sesame_store_prepare (self,
                                "SELECT f.id, f.name, f.establishment, f.generated_at, f.since, f.size, f.accounts,"
                                " f.import_id, " ESTABLISHMENT_NAME_SQL
                                " FROM identifier_files f WHERE f.deleted_at IS NULL"
                                " ORDER BY f.generated_at DESC, f.rowid DESC",
                                error);
  if (stmt == NULL)
    return NULL;
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SesameIdentifierFile *file = file_from_row (stmt);

      if (mine == NULL || g_strv_contains ((const char * const *) mine, file->establishment))
        {
          g_ptr_array_add (files, file);
          g_hash_table_insert (by_id, file->id, file);
        }
      else
        sesame_identifier_file_free (file);
    }
  sqlite3_reset (stmt);

  if (!count_profiles (self, by_id, NULL, error))
    return NULL;
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
  g_autofree char *id = _sesame_new_id ();
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
 * sesame_identifier_files_generate:
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
sesame_identifier_files_generate (SesameStore  *self,
                                  const char   *uai,
                                  gint64        since,
                                  GError      **error)
{
  g_autoptr(SesameEstablishment) establishment = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (uai != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  /* No account was created in the future: such a file would be empty. */
  if (since > sesame_store_now (self))
    {
      g_autofree char *day = format_day (since);

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The search date %s is in the future: no account was created since then. "
                     "Choose today or an earlier day, or leave it empty for all accounts."), day);
      return NULL;
    }
  establishment = sesame_identifier_files_find_establishment (self, uai, error);
  if (establishment == NULL)
    return NULL;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, establishment->uai, error))
    return NULL;

  if (!_sesame_store_begin (self, error))
    return NULL;

  id = insert_file (self, establishment->uai, since, NULL, error);
  if (id == NULL)
    goto fail;

  /* Every structure with this UAI: an establishment may appear under
   * several directory keys across exports. */
  stmt = _sesame_store_prepare (self, _sesame_profile_sql (
                                "INSERT OR IGNORE INTO identifier_file_accounts (file_id, person_key)"
                                " SELECT ?1, p.key FROM persons p JOIN accounts a ON a.person_key = p.key"
                                " WHERE p.deleted_at IS NULL AND p.left_at IS NULL AND a.deleted_at IS NULL"
                                " AND a.disabled_at IS NULL AND a.created_at >= ?3 AND p.profile IN " SESAME_SQL_DISTRIBUTABLE
                                " AND (p.structure IN (SELECT jointure FROM establishments WHERE uai = ?2)"
                                "  OR (p.profile = " SESAME_SQL_PARENT " AND EXISTS (SELECT 1 FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                "   WHERE g.parent_key = p.key AND g.deleted_at IS NULL AND c.left_at IS NULL"
                                "   AND c.structure IN (SELECT jointure FROM establishments WHERE uai = ?2))))"),
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
 * sesame_identifier_files_measure:
 * @self: a #SesameStore
 * @files: (element-type SesameIdentifierFile): files from
 *   sesame_identifier_files_list()
 * @error: return location for a #GError
 *
 * Sets the size of each file to the size of the CSV that an export would
 * write now: a password used or regenerated since the file was generated
 * changes it. Reads only; administrators only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_identifier_files_measure (SesameStore  *self,
                                 GPtrArray    *files,
                                 GError      **error)
{
  g_autoptr(GString) csv = g_string_new (NULL);

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (files != NULL, FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return FALSE;
  if (files->len == 0)
    return TRUE;

  if (!_sesame_store_begin_read (self, error))
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      SesameIdentifierFile *file = g_ptr_array_index (files, i);
      guint accounts = 0;

      if (!render_csv (self, file->id, file->establishment, csv, &accounts, error))
        {
          sodium_memzero (csv->str, csv->allocated_len);
          _sesame_store_rollback (self);
          return FALSE;
        }
      file->size = csv->len;
      file->accounts = accounts;
      sodium_memzero (csv->str, csv->len);
    }
  _sesame_store_commit (self, NULL);
  return TRUE;
}

/**
 * sesame_identifier_files_render:
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
sesame_identifier_files_render (SesameStore  *self,
                                const char   *id,
                                GError      **error)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  GString *csv;
  guint accounts = 0;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  file = load_file (self, id, error);
  if (file == NULL)
    return NULL;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, file->establishment, error))
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

static gboolean
write_csv (SesameStore  *self,
           const char   *id,
           const char   *path,
           GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data;

  bytes = sesame_identifier_files_render (self, id, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  if (!g_file_set_contents_full (path, data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      sodium_memzero ((char *) data, size);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }
  sodium_memzero ((char *) data, size);
  /* g_file_set_contents_full() keeps the mode of a file it replaces. */
  g_chmod (path, 0600);
  return TRUE;
}

typedef struct
{
  SesameXlsxWriter *writer;
  GString          *cells;
} XlsxRows;

static void
append_xlsx_row (const char * const *cells,
                 gpointer            user_data)
{
  XlsxRows *rows = user_data;
  gsize offsets[N_COLUMNS];
  const char *clean[N_COLUMNS];

  /* The same cells as the CSV's, but for the apostrophe before a formula:
   * a string cell of an .xlsx is never run. */
  g_string_truncate (rows->cells, 0);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      offsets[c] = rows->cells->len;
      append_clean_cell (rows->cells, cells[c], TRUE, FALSE);
      g_string_append_c (rows->cells, '\0');
    }
  for (guint c = 0; c < N_COLUMNS; c++)
    clean[c] = rows->cells->str + offsets[c];
  _sesame_xlsx_writer_add_row (rows->writer, clean);
  sodium_memzero (rows->cells->str, rows->cells->len);
}

static gboolean
write_xlsx (SesameStore        *self,
            const char * const *ids,
            const char         *path,
            GError            **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_identifier_file_free);
  g_autoptr(SesameXlsxWriter) writer = NULL;
  g_autoptr(GString) cells = g_string_new (NULL);
  SesameIdentifierFile *first;
  XlsxRows rows;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      SesameIdentifierFile *file = load_file (self, ids[i], error);

      if (file == NULL)
        return FALSE;
      g_ptr_array_add (files, file);
    }

  first = g_ptr_array_index (files, 0);
  writer = _sesame_xlsx_writer_new (path, first->name, error);
  if (writer == NULL)
    return FALSE;
  rows.writer = writer;
  rows.cells = cells;

  /* One snapshot for the whole workbook. */
  if (!_sesame_store_begin_read (self, error))
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      SesameIdentifierFile *file = g_ptr_array_index (files, i);

      /* One sheet per establishment, named by its UAI. */
      _sesame_xlsx_writer_add_sheet (writer, file->establishment, column_names, N_COLUMNS);
      if (!render_rows (self, file->id, file->establishment, append_xlsx_row, &rows, NULL, error))
        {
          _sesame_store_rollback (self);
          return FALSE;
        }
    }
  _sesame_store_commit (self, NULL);

  return _sesame_xlsx_writer_finish (writer, error);
}

/**
 * sesame_identifier_files_export_all:
 * @self: a #SesameStore
 * @ids: (array zero-terminated=1): the files' ids, at least one
 * @path: where to write them: a spreadsheet when it ends in `.xlsx`, a
 *   CSV otherwise
 * @error: return location for a #GError
 *
 * Writes identifier files, readable by their owner only: they hold
 * passwords. A spreadsheet holds one sheet per file (per establishment),
 * every cell a string typed as text, so that postcodes and logins keep
 * their leading zeros; a CSV holds one file. Administrators only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_identifier_files_export_all (SesameStore        *self,
                                    const char * const *ids,
                                    const char         *path,
                                    GError            **error)
{
  gboolean ok;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL && ids[0] != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return FALSE;

  if (sesame_identifier_file_path_is_spreadsheet (path))
    ok = write_xlsx (self, ids, path, error);
  else if (ids[1] != NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("A CSV file holds one identifier file. To write several in one file, "
                     "name a spreadsheet ending in .xlsx: it has one sheet per file."));
      return FALSE;
    }
  else
    ok = write_csv (self, ids[0], path, error);
  if (!ok)
    return FALSE;

  for (guint i = 0; ids[i] != NULL; i++)
    if (!_sesame_store_audit (self, "export-file", ids[i], path, error))
      return FALSE;
  return TRUE;
}

/**
 * sesame_identifier_files_export:
 * @self: a #SesameStore
 * @id: the file's id
 * @path: where to write it: a spreadsheet when it ends in `.xlsx`, a CSV
 *   otherwise
 * @error: return location for a #GError
 *
 * Writes a file, readable by its owner only: it holds passwords. See
 * sesame_identifier_files_export_all().
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_identifier_files_export (SesameStore  *self,
                                const char   *id,
                                const char   *path,
                                GError      **error)
{
  const char *ids[] = { id, NULL };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return sesame_identifier_files_export_all (self, ids, path, error);
}

/**
 * sesame_identifier_files_delete:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * Removes a file from the list. Administrators only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_identifier_files_delete (SesameStore  *self,
                                const char   *id,
                                GError      **error)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return FALSE;
  file = load_file (self, id, error);
  if (file == NULL)
    return FALSE;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, file->establishment, error))
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
 * sesame_identifier_files_list_keys:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * The accounts of a file, to print their slips or letters.
 *
 * Returns: (transfer full): the directory keys, or %NULL with @error set
 */
char **
sesame_identifier_files_list_keys (SesameStore  *self,
                                   const char   *id,
                                   GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(SesameIdentifierFile) file = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  file = load_file (self, id, error);
  if (file == NULL)
    return NULL;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, file->establishment, error))
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
