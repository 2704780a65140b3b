/* sesame-identifier-file-rows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an identifier file says: one row per account it lists, as the
 * account stands when the file is exported, in the columns GEPI's mail
 * merge expects. A pupil's row names their guardians, a parent's their
 * child and the child's class, a password that no longer works is
 * replaced by words saying why. The CSV and the spreadsheet are two
 * writers of the same rows: both read them here. Files of fifty thousand
 * accounts are read in a few queries and sorted once, which is why the
 * rows live in one string chunk and carry a precomputed sort key.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-files"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-csv-private.h"
#include "sesame-document-language-private.h"
#include "sesame-identifier-file-rows-private.h"
#include "sesame-seal-private.h"

/* The columns GEPI expects, in its order. */
const char * const _sesame_identifier_file_rows_column_names[SESAME_IDENTIFIER_FILE_N_COLUMNS] = {
  "rne", "uid", "classe", "profil", "prenom", "nom", "login", "mot de passe", "cle de jointure",
  "uid pere", "uid mere", "uid tuteur1", "uid tuteur2", "prenom enfant", "nom enfant",
  "adresse", "code postal", "ville", "pays",
};

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
        {
          /* Sealed on a server's store and on a desk: a file never holds
           * a sealed value, nor is it written without the key. */
          char *clear = _sesame_seal_unseal_password (self, (const char *) sqlite3_column_text (stmt, 11), error);

          if (clear == NULL)
            {
              sqlite3_reset (stmt);
              return FALSE;
            }
          row.password = g_string_chunk_insert (file_rows->strings, clear);
          sodium_memzero (clear, strlen (clear));
          g_free (clear);
        }
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

/* The cells of a row, in the order of the column names. */
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

/* How many accounts a file lists. */
static guint
count_accounts (SesameStore  *self,
                const char   *file_id,
                GError      **error)
{
  sqlite3_stmt *stmt;
  guint n_rows = 0;

  stmt = _sesame_store_prepare (self, "SELECT COUNT (*) FROM identifier_file_accounts WHERE file_id = ?", error);
  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_text (stmt, 1, file_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_rows = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n_rows;
}

/**
 * _sesame_identifier_file_rows_render:
 * @self: a #SesameStore
 * @file_id: the file's id
 * @uai: the UAI of the file's establishment
 * @func: (scope call): called with the cells of each row
 * @user_data: data for @func
 * @n_accounts: (out) (optional): how many accounts the file lists
 * @error: return location for a #GError
 *
 * Reads the file's accounts as they stand and hands each row's
 * %SESAME_IDENTIFIER_FILE_N_COLUMNS cells to @func, sorted by profile,
 * class and name, in the document language. The cells are not cleaned:
 * the writer does that. Reads inside the caller's transaction; checks no
 * permission.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_identifier_file_rows_render (SesameStore                 *self,
                                     const char                  *file_id,
                                     const char                  *uai,
                                     SesameIdentifierFileRowFunc  func,
                                     gpointer                     user_data,
                                     guint                       *n_accounts,
                                     GError                     **error)
{
  FileRows file_rows = { 0, };
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GString) joint = g_string_new (NULL);
  g_autofree char *prefix = NULL;
  guint n_rows;
  gboolean ok;

  /* Sized once: a file of fifty thousand rows would otherwise copy its
   * rows a dozen times as the array grows. */
  n_rows = count_accounts (self, file_id, error);
  if (n_rows == G_MAXUINT)
    return FALSE;

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
      const char *cells[SESAME_IDENTIFIER_FILE_N_COLUMNS];

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
  _sesame_csv_append_row (user_data, cells, SESAME_IDENTIFIER_FILE_N_COLUMNS,
                          SESAME_CSV_CELL_NO_SEPARATORS | SESAME_CSV_CELL_ESCAPE_FORMULA);
}

/**
 * _sesame_identifier_file_rows_write_csv:
 * @self: a #SesameStore
 * @file_id: the file's id
 * @uai: the UAI of the file's establishment
 * @csv: where the CSV is written, in place of what it held
 * @n_accounts: (out) (optional): how many accounts the file lists
 * @error: return location for a #GError
 *
 * Writes the file as an export does: UTF-8 with a byte-order mark, `;`
 * separated, CRLF line ends, no quoting, the header GEPI expects, then
 * the rows of _sesame_identifier_file_rows_render(). @csv holds first
 * passwords: wipe it before freeing it.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_identifier_file_rows_write_csv (SesameStore  *self,
                                        const char   *file_id,
                                        const char   *uai,
                                        GString      *csv,
                                        guint        *n_accounts,
                                        GError      **error)
{
  guint n_rows;

  n_rows = count_accounts (self, file_id, error);
  if (n_rows == G_MAXUINT)
    return FALSE;

  /* About 140 bytes a row: one allocation rather than a dozen doublings. */
  g_string_set_size (csv, 0);
  if (csv->allocated_len < (gsize) n_rows * 160)
    {
      g_string_set_size (csv, (gsize) n_rows * 160);
      g_string_truncate (csv, 0);
    }

  /* UTF-8 with a byte-order mark, so that Excel reads the accents. */
  g_string_append (csv, SESAME_CSV_BYTE_ORDER_MARK);
  _sesame_csv_append_row (csv, _sesame_identifier_file_rows_column_names, SESAME_IDENTIFIER_FILE_N_COLUMNS,
                          SESAME_CSV_CELL_SEPARATORS_AS_COMMAS);

  return _sesame_identifier_file_rows_render (self, file_id, uai, append_csv_row, csv, n_accounts, error);
}
