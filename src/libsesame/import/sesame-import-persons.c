/* sesame-import-persons.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pupils, parents and staff: their row in persons, their links, their
 * accounts, their departures and returns, and the keys that stay one
 * person's.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-import-private.h"

/* The columns of persons that come from the directory, in the order of
 * the statements below. */
enum
{
  COL_KIND,
  COL_PROFILE,
  COL_TITLE,
  COL_LAST_NAME,
  COL_FIRST_NAME,
  COL_BIRTH_NAME,
  COL_BIRTH_DATE,
  COL_INE,
  COL_STRUCTURE,
  COL_ADDRESS,
  COL_POSTAL_CODE,
  COL_CITY,
  COL_COUNTRY,
  COL_EMAIL,
  COL_HOME_PHONE,
  COL_WORK_PHONE,
  COL_MOBILE,
  COL_IS_HEAD,
  N_COLS
};

/* The attribute each column comes from: a modifyRequest that does not
 * name it leaves the stored value alone. */
static const char * const column_attributes[N_COLS] = {
  [COL_PROFILE] = "ENTPersonFonctions",
  [COL_TITLE] = "personalTitle",
  [COL_LAST_NAME] = "sn",
  [COL_FIRST_NAME] = "givenName",
  [COL_BIRTH_NAME] = "ENTPersonNomPatro",
  [COL_BIRTH_DATE] = "ENTPersonDateNaissance",
  [COL_INE] = "ENTEleveINE",
  [COL_STRUCTURE] = "ENTPersonStructRattach",
  [COL_ADDRESS] = "ENTPersonAdresse",
  [COL_POSTAL_CODE] = "ENTPersonCodePostal",
  [COL_CITY] = "ENTPersonVille",
  [COL_COUNTRY] = "ENTPersonPays",
  [COL_EMAIL] = "mail",
  [COL_HOME_PHONE] = "homePhone",
  [COL_WORK_PHONE] = "telephoneNumber",
  [COL_MOBILE] = "mobile",
  [COL_IS_HEAD] = "ENTPersonFonctions",
};

/* The sets of links a person may carry. */
enum
{
  LINKS_MEMBERSHIPS,
  LINKS_GUARDIANS,
  LINKS_FUNCTIONS,
  LINKS_TEACHINGS,
  LINKS_SUBJECTS,
  N_LINK_SETS
};

static gboolean
any_present (const SesameAafRecord *record,
             const char            *a,
             const char            *b,
             const char            *c)
{
  return sesame_aaf_record_get_values (record, a) != NULL ||
         (b != NULL && sesame_aaf_record_get_values (record, b) != NULL) ||
         (c != NULL && sesame_aaf_record_get_values (record, c) != NULL);
}

static const char *
birth_date (SesameImportJob       *job,
            const SesameAafRecord *record)
{
  const char *text = _sesame_import_value (record, "ENTPersonDateNaissance");
  int day, month, year;
  char date[16];

  if (*text == '\0')
    return "";
  if (strlen (text) == 10 && text[2] == '/' && text[5] == '/' &&
      g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) && g_ascii_isdigit (text[3]) &&
      g_ascii_isdigit (text[4]) && g_ascii_isdigit (text[6]) && g_ascii_isdigit (text[7]) &&
      g_ascii_isdigit (text[8]) && g_ascii_isdigit (text[9]))
    {
      day = (text[0] - '0') * 10 + (text[1] - '0');
      month = (text[3] - '0') * 10 + (text[4] - '0');
      year = atoi (text + 6);
      if (g_date_valid_dmy (day, month, year))
        {
          g_snprintf (date, sizeof date, "%04d-%02d-%02d", year, month, day);
          return g_string_chunk_insert (job->scratch, date);
        }
    }

  _sesame_import_warn_record (job, sesame_aaf_record_get_value_line (record, "ENTPersonDateNaissance"),
               _("“%s” is not a date of birth (dd/mm/yyyy); it was left out"), text);
  return "";
}

/* One line, or up to four joined by "$": kept one per line. */
static const char *
address (SesameImportJob *job,
         const char      *value)
{
  g_auto(GStrv) parts = NULL;
  GString *joined;
  const char *kept;

  if (strchr (value, '$') == NULL)
    return value;

  parts = g_strsplit (value, "$", -1);
  joined = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (joined->len > 0)
        g_string_append_c (joined, '\n');
      g_string_append (joined, parts[i]);
    }
  kept = g_string_chunk_insert_len (job->scratch, joined->str, joined->len);
  g_string_free (joined, TRUE);
  return kept;
}

/* Whether a person is in the store or in this import. */
static gboolean
person_exists (SesameImportJob *job,
               const char      *key)
{
  sqlite3_stmt *stmt;
  gboolean exists;

  if (g_hash_table_contains (job->seen, key))
    return TRUE;
  stmt = _sesame_import_prepare (job, "SELECT 1 FROM persons WHERE key = ?1 AND deleted_at IS NULL", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return exists;
}

/* Persons */

gboolean
_sesame_import_mark_left (SesameImportJob  *job,
                          const char       *key,
                          GError          **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_import_prepare (job,
                                 "UPDATE persons SET left_at = ?2 WHERE key = ?1 AND left_at IS NULL AND deleted_at IS NULL",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, job->now);
  if (!_sesame_store_step_done (job->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (_sesame_store_get_db (job->store)) == 0)
    return TRUE;

  job->summary->persons_departed++;
  g_hash_table_add (job->departed, (gpointer) _sesame_import_keep_string (job, key));
  /* Disabled, not purged: if the person is listed again, their account
   * comes back as it was, first password included. */
  return _sesame_accounts_disable (job->store, key, error);
}

/**
 * _sesame_import_kind_label:
 * @kind: a kind of person
 *
 * Returns: the kind, as a word for the warnings
 */
const char *
_sesame_import_kind_label (SesameAafKind kind)
{
  switch (kind)
    {
    case SESAME_AAF_KIND_PUPIL:
      return _("pupil");
    case SESAME_AAF_KIND_PARENT:
      return _("parent");
    case SESAME_AAF_KIND_STAFF:
      return _("staff");
    case SESAME_AAF_KIND_ESTABLISHMENT:
    case SESAME_AAF_KIND_SUBJECT:
    case SESAME_AAF_KIND_UNKNOWN:
    default:
      return _("unknown kind");
    }
}

/* The kind and the name of a person of the store, whatever their state:
 * the key is theirs. */
static gboolean
stored_person (SesameImportJob  *job,
               const char       *key,
               SesameAafKind    *kind,
               char            **name)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_import_prepare (job, "SELECT kind, first_name, last_name FROM persons WHERE key = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      *kind = sesame_aaf_kind_from_category (_sesame_column_text (stmt, 0));
      if (name != NULL)
        *name = g_strdup_printf ("%s %s", _sesame_column_text (stmt, 1), _sesame_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return found;
}

/* Whether this import read the person already, and where. */
static gboolean
seen_lookup (SesameImportJob  *job,
             const char       *key,
             SesameImportSeen *seen)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (job->seen, key));

  if (index == 0)
    return FALSE;
  *seen = g_array_index (job->seen_records, SesameImportSeen, index - 1);
  return TRUE;
}

static void
remember_seen (SesameImportJob       *job,
               const SesameAafRecord *record,
               SesameAafKind          kind,
               const char            *key)
{
  SesameImportSeen seen = {
    .line = sesame_aaf_record_get_line (record),
    .file = MIN (job->file->index, G_MAXUINT16),
    .kind = kind,
  };

  g_array_append_val (job->seen_records, seen);
  g_hash_table_insert (job->seen, (gpointer) _sesame_import_keep_string (job, key),
                       GUINT_TO_POINTER (job->seen_records->len));
}

static char *
record_name (const SesameAafRecord *record)
{
  const char *first = _sesame_import_first_value (record, "givenName");
  const char *last = _sesame_import_first_value (record, "sn");

  if (*first == '\0' && *last == '\0')
    return g_strdup (_("(no name)"));
  return g_strdup_printf ("%s %s", first, last);
}

/* One key, one person. A record whose key this import already read in the
 * same set (one file, or the chunks of one export), or whose key belongs to
 * a person of another kind, overwrites nobody: it is skipped, and the
 * warning names both. Another set restates the person, as it should: a
 * delta after a complete export, or the export of a second establishment
 * that lists the same parent or teacher. */
static gboolean
key_is_taken (SesameImportJob       *job,
              const SesameAafRecord *record,
              SesameAafKind          kind,
              const char            *key,
              gboolean              *exists)
{
  SesameImportSeen seen;
  SesameAafKind stored_kind = SESAME_AAF_KIND_UNKNOWN;
  g_autofree char *name = NULL;
  g_autofree char *other = NULL;

  *exists = FALSE;
  if (seen_lookup (job, key, &seen))
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, seen.file);

      *exists = TRUE;
      if (seen.kind == kind && !g_str_equal (file->info.set, job->file->info.set))
        return FALSE;

      name = record_name (record);
      if (!stored_person (job, key, &stored_kind, &other))
        other = g_strdup (_("(no name)"));
      _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                                  _("%s (%s) has the key %s, already that of %s (%s) read in %s, line %u: "
                                    "this record was skipped; the export must be corrected"),
                                  name, _sesame_import_kind_label (kind), key,
                                  other, _sesame_import_kind_label (seen.kind), file->name, seen.line);
      return TRUE;
    }

  /* This runs for every record: a store that had nobody before the import
   * (an academy's first) is not asked, and names are read only for the
   * warning. */
  if (job->last_rowid == 0 || !stored_person (job, key, &stored_kind, NULL))
    return FALSE;
  *exists = TRUE;
  if (stored_kind == kind)
    return FALSE;
  name = record_name (record);
  stored_person (job, key, &stored_kind, &other);
  _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                              _("%s (%s) has the key %s, already that of %s (%s) in the store: this record was "
                                "skipped, a person never changes kind; the export must be corrected"),
                              name, _sesame_import_kind_label (kind), key,
                              other, _sesame_import_kind_label (stored_kind));
  return TRUE;
}

static gboolean
person_is_kept (SesameImportJob *job,
                SesameAafKind    kind,
                const char      *key,
                const char      *structure)
{
  if (job->keep_structures == NULL)
    return TRUE;
  if (g_hash_table_contains (job->keep_structures, structure))
    return TRUE;
  return kind == SESAME_AAF_KIND_PARENT && g_hash_table_contains (job->keep_parents, key);
}

gboolean
_sesame_import_apply_person_delete (SesameImportJob       *job,
                                    const SesameAafRecord *record,
                                    SesameAafKind          kind,
                                    const char            *key,
                                    GError               **error)
{
  SesameAafKind stored_kind = SESAME_AAF_KIND_UNKNOWN;
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;
  g_autofree char *structure = NULL;
  gboolean known;

  stmt = _sesame_import_prepare (job, "SELECT structure FROM persons WHERE key = ?1 AND deleted_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    structure = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  known = structure != NULL || g_hash_table_contains (job->seen, key);

  if (!known)
    {
      /* Out of the establishments kept, a stranger is nobody's business. */
      if (job->keep_structures == NULL)
        _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                                    _("a deleteRequest names the key %s, which is neither in the store nor in these "
                                      "files: it was ignored"),
                                    key);
      return TRUE;
    }
  if (!person_is_kept (job, kind, key, structure ? structure : ""))
    return TRUE;

  if (stored_person (job, key, &stored_kind, &name) && stored_kind != kind)
    {
      _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                                  _("a deleteRequest of a %s names the key %s of %s (%s): it was ignored, a person "
                                    "never changes kind"),
                                  _sesame_import_kind_label (kind), key, name, _sesame_import_kind_label (stored_kind));
      return TRUE;
    }

  switch (kind)
    {
    case SESAME_AAF_KIND_PUPIL:
      job->summary->pupils++;
      break;
    case SESAME_AAF_KIND_PARENT:
      job->summary->parents++;
      break;
    case SESAME_AAF_KIND_STAFF:
    default:
      job->summary->staff++;
      break;
    }
  return _sesame_import_mark_left (job, key, error);
}

/* Keeps the pupil's address, or takes the address of the person named by
 * ENTEleveAdresseRel when the pupil has none of their own. */
static void
related_address (SesameImportJob       *job,
                 const SesameAafRecord *record,
                 const char            *key,
                 const char           **cols)
{
  const char *related = _sesame_import_first_value (record, "ENTEleveAdresseRel");
  sqlite3_stmt *stmt;

  if (*related == '\0' || g_str_equal (related, key) ||
      *cols[COL_ADDRESS] != '\0' || *cols[COL_POSTAL_CODE] != '\0' || *cols[COL_CITY] != '\0')
    return;

  stmt = _sesame_import_prepare (job,
                                 "SELECT address, postal_code, city, country FROM persons WHERE key = ?1",
                                 NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, related, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      cols[COL_ADDRESS] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 0));
      cols[COL_POSTAL_CODE] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 1));
      cols[COL_CITY] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 2));
      cols[COL_COUNTRY] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
}

static void
remember_created (SesameImportJob *job,
                  SesameAafKind    kind,
                  const char      *key,
                  const char      *structure)
{
  const char *uai;
  GPtrArray *keys;

  if (kind == SESAME_AAF_KIND_PARENT)
    {
      g_hash_table_insert (job->created_parents, (gpointer) _sesame_import_keep_string (job, key), g_ptr_array_new ());
      return;
    }

  uai = g_hash_table_lookup (job->structure_uai, structure);
  if (uai == NULL || *uai == '\0')
    {
      job->created_without_uai++;
      return;
    }
  keys = g_hash_table_lookup (job->created_by_uai, uai);
  if (keys == NULL)
    {
      keys = g_ptr_array_new ();
      g_hash_table_insert (job->created_by_uai, (gpointer) uai, keys);
    }
  g_ptr_array_add (keys, (gpointer) _sesame_import_keep_string (job, key));
}

/* A parent whose account this import created belongs in the identifier
 * files of their children's establishments. */
static void
link_created_parent (SesameImportJob *job,
                     const char      *parent_key,
                     const char      *pupil_structure)
{
  GPtrArray *uais = g_hash_table_lookup (job->created_parents, parent_key);
  const char *uai;

  if (uais == NULL)
    return;
  uai = g_hash_table_lookup (job->structure_uai, pupil_structure);
  if (uai == NULL || *uai == '\0')
    return;
  for (guint i = 0; i < uais->len; i++)
    if (g_ptr_array_index (uais, i) == uai)
      return;
  g_ptr_array_add (uais, (gpointer) uai);
}

/* A person as the record gives them, then as the store has them. */
typedef struct
{
  SesameAafKind  kind;
  const char    *key;
  const char    *structure;
  SesameProfile  profile;
  const char    *cols[N_COLS];
  GArray        *links[N_LINK_SETS];   /* NULL: the kind has no such links */

  gboolean       exists;
  gboolean       returned;            /* had left, or had a tombstone */
  gboolean       has_account;
  gboolean       row_changed;
  gboolean       names_changed;
  gboolean       links_changed;
} Person;

static void
person_clear (Person *person)
{
  for (guint i = 0; i < N_LINK_SETS; i++)
    g_clear_pointer (&person->links[i], g_array_unref);
}

static GArray *
new_links (void)
{
  return g_array_new (FALSE, FALSE, sizeof (SesameImportLink));
}

/* Characters that show nothing, or change the direction of what follows:
 * "LE GOFF" U+202E "EVIL" prints as "LE GOFFLIVE", a zero-width space
 * splits a login's search, U+0085 and U+2028 break a CSV line for readers
 * that honour them. Line and paragraph separators and control characters
 * become a space; format characters (zero-width spaces and joiners, bidi
 * marks, embeddings, overrides and isolates, soft hyphens, BOMs) go. */
static gboolean
is_invisible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
breaks_words (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_CONTROL || type == G_UNICODE_LINE_SEPARATOR ||
         type == G_UNICODE_PARAGRAPH_SEPARATOR;
}

/* The value without invisible characters; those it held are added, as
 * "U+202E", to found. */
static const char *
visible_value (SesameImportJob *job,
               const char      *value,
               GString         *found)
{
  g_autoptr(GString) clean = NULL;
  const char *p;

  for (p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (is_invisible (g_utf8_get_char (p)))
      break;
  if (*p == '\0')
    return value;

  clean = g_string_new_len (value, p - value);
  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_autofree char *code = NULL;

      if (!is_invisible (c))
        {
          g_string_append_unichar (clean, c);
          continue;
        }
      code = g_strdup_printf ("U+%04X", c);
      if (strstr (found->str, code) == NULL)
        g_string_append_printf (found, "%s%s", found->len > 0 ? ", " : "", code);
      if (breaks_words (c) && clean->len > 0 && clean->str[clean->len - 1] != ' ')
        g_string_append_c (clean, ' ');
    }
  g_strstrip (clean->str);
  return g_string_chunk_insert (job->scratch, clean->str);
}

static void
read_columns (SesameImportJob       *job,
              const SesameAafRecord *record,
              Person                *person)
{
  const char **cols = person->cols;
  g_autoptr(GString) found = g_string_new (NULL);

  cols[COL_KIND] = sesame_aaf_kind_to_category (person->kind);
  cols[COL_TITLE] = _sesame_import_first_value (record, "personalTitle");
  cols[COL_LAST_NAME] = _sesame_import_first_value (record, "sn");
  cols[COL_FIRST_NAME] = _sesame_import_first_value (record, "givenName");
  cols[COL_BIRTH_NAME] = _sesame_import_first_value (record, "ENTPersonNomPatro");
  cols[COL_BIRTH_DATE] = birth_date (job, record);
  cols[COL_INE] = _sesame_import_first_value (record, "ENTEleveINE");
  cols[COL_STRUCTURE] = person->structure;
  cols[COL_ADDRESS] = _sesame_import_first_value (record, "ENTPersonAdresse");
  cols[COL_POSTAL_CODE] = _sesame_import_first_value (record, "ENTPersonCodePostal");
  cols[COL_CITY] = _sesame_import_first_value (record, "ENTPersonVille");
  cols[COL_COUNTRY] = _sesame_import_first_value (record, "ENTPersonPays");
  cols[COL_EMAIL] = _sesame_import_first_value (record, "mail");
  cols[COL_HOME_PHONE] = _sesame_import_first_value (record, "homePhone");
  cols[COL_WORK_PHONE] = _sesame_import_first_value (record, "telephoneNumber");
  cols[COL_MOBILE] = _sesame_import_first_value (record, "mobile");
  cols[COL_IS_HEAD] = _sesame_import_digits[0];

  /* Every text the person's pages, files and emails show enters here. */
  for (guint i = 0; i < N_COLS; i++)
    if (i != COL_KIND && i != COL_STRUCTURE && i != COL_IS_HEAD && i != COL_PROFILE && cols[i] != NULL)
      cols[i] = visible_value (job, cols[i], found);
  cols[COL_ADDRESS] = address (job, cols[COL_ADDRESS]);

  if (found->len > 0)
    _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                                _("%s %s (%s, key %s) had invisible or direction-changing characters (%s) "
                                  "in their name, address or contact details; they were removed"),
                                cols[COL_FIRST_NAME], cols[COL_LAST_NAME],
                                _sesame_import_kind_label (person->kind), person->key, found->str);
}

/* Classes, groups and guardians; links to parents nobody knows are left out
 * with a warning. */
static void
read_pupil_links (SesameImportJob       *job,
                  const SesameAafRecord *record,
                  Person                *person)
{
  GArray *memberships = person->links[LINKS_MEMBERSHIPS] = new_links ();
  GArray *guardians = person->links[LINKS_GUARDIANS] = new_links ();

  related_address (job, record, person->key, person->cols);
  _sesame_import_collect_codes (job, record, "ENTEleveClasses", "class", person->structure, memberships);
  _sesame_import_collect_codes (job, record, "ENTEleveGroupes", "group", person->structure, memberships);

  /* Without a class, the pupil's slip and the identifier file's
   * "classe" are empty: the office should know. A modifyRequest that
   * leaves the classes alone says nothing of them. */
  if (sesame_aaf_record_get_values (record, "ENTEleveClasses") != NULL ||
      sesame_aaf_record_get_operation (record) != SESAME_AAF_OPERATION_MODIFY)
    {
      gboolean has_class = FALSE;

      for (guint i = 0; i < memberships->len && !has_class; i++)
        has_class = g_str_equal (g_array_index (memberships, SesameImportLink, i).col[1], "class");
      if (!has_class)
        _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                                    _("the pupil %s (%s %s) has no class: their slip and their row in the "
                                      "identifier file will name none; check ENTEleveClasses in the directory"),
                                    person->key, person->cols[COL_FIRST_NAME], person->cols[COL_LAST_NAME]);
    }

  _sesame_import_collect_guardians (job, record, guardians);
  for (guint i = 0; i < guardians->len; i++)
    {
      const char *parent = g_array_index (guardians, SesameImportLink, i).col[0];

      /* A pupil is never their own guardian: such a link would name them
       * as their own father or mother in the identifier file. */
      if (g_str_equal (parent, person->key))
        {
          _sesame_import_warn_record (job, sesame_aaf_record_get_value_line (record, "ENTElevePersRelEleve"),
                                      _("the pupil %s (%s %s) is recorded as their own guardian; the link was left out"),
                                      person->key, person->cols[COL_FIRST_NAME], person->cols[COL_LAST_NAME]);
          g_array_remove_index (guardians, i--);
          continue;
        }
      if (person_exists (job, parent))
        {
          link_created_parent (job, parent, person->structure);
          continue;
        }
      _sesame_import_warn_record (job, sesame_aaf_record_get_value_line (record, "ENTElevePersRelEleve"),
                                  _("the pupil %s (%s %s) names a parent %s who is neither in these files nor in the store; the link was left out"),
                                  person->key, person->cols[COL_FIRST_NAME], person->cols[COL_LAST_NAME], parent);
      g_array_remove_index (guardians, i--);
    }
}

/* Functions (struct$code$label$discipline$label): ENS makes a teacher, DIR
 * the head of establishment; classes taught or led, subjects taught. */
static void
read_staff_links (SesameImportJob       *job,
                  const SesameAafRecord *record,
                  Person                *person)
{
  GArray *functions = person->links[LINKS_FUNCTIONS] = new_links ();
  GArray *teachings = person->links[LINKS_TEACHINGS] = new_links ();
  GArray *subjects = person->links[LINKS_SUBJECTS] = new_links ();
  const char * const *values = sesame_aaf_record_get_values (record, "ENTPersonFonctions");
  guint line = sesame_aaf_record_get_value_line (record, "ENTPersonFonctions");

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *f[5];

      if (*values[i] == '\0')
        continue;
      if (!_sesame_import_split_value (job, record, "ENTPersonFonctions", values[i],
                                       "structure$code$label$discipline$label", f, 5, 1 << 0 | 1 << 1))
        continue;
      _sesame_import_note_structure (job, f[0], line);
      _sesame_import_add_link (functions, 3, f[0], f[1], f[3], f[2], f[4]);
      if (g_str_equal (f[1], "ENS"))
        person->profile = SESAME_PROFILE_ENSEIGNANT;
      else if (g_str_equal (f[1], "DIR"))
        person->cols[COL_IS_HEAD] = _sesame_import_digits[1];
    }

  _sesame_import_collect_codes (job, record, "ENTAuxEnsClasses", "class", person->structure, teachings);
  _sesame_import_collect_codes (job, record, "ENTAuxEnsGroupes", "group", person->structure, teachings);
  _sesame_import_collect_codes (job, record, "ENTAuxEnsClassesPrincipal", "principal", person->structure, teachings);

  values = sesame_aaf_record_get_values (record, "ENTAuxEnsMatiereEnseignEtab");
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *f[2];

      if (*values[i] == '\0')
        continue;
      if (strchr (values[i], '$') == NULL)
        f[0] = person->structure, f[1] = values[i];
      else if (!_sesame_import_split_value (job, record, "ENTAuxEnsMatiereEnseignEtab", values[i],
                                            "structure$subject", f, 2, 1 << 1))
        continue;
      else if (*f[0] == '\0')
        f[0] = person->structure;
      _sesame_import_add_link (subjects, 2, f[0], f[1], NULL, NULL, NULL);
    }
}

/* Compares with the stored row. A modifyRequest leaves alone what it does
 * not name. */
static gboolean
compare_stored (SesameImportJob       *job,
                const SesameAafRecord *record,
                Person                *person,
                GError               **error)
{
  gboolean modify = sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_MODIFY;
  const char **cols = person->cols;
  sqlite3_stmt *stmt;

  stmt = _sesame_import_prepare (job,
                                 "SELECT p.kind, p.profile, p.title, p.last_name, p.first_name, p.birth_name, p.birth_date,"
                                 " p.ine, p.structure, p.address, p.postal_code, p.city, p.country, p.email, p.home_phone,"
                                 " p.work_phone, p.mobile, p.is_head,"
                                 " p.left_at IS NOT NULL OR p.deleted_at IS NOT NULL, a.person_key IS NOT NULL"
                                 " FROM persons p LEFT JOIN accounts a ON a.person_key = p.key WHERE p.key = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person->key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }

  person->exists = TRUE;
  if (modify)
    for (guint c = 0; c < N_COLS; c++)
      {
        const char *attribute = column_attributes[c];

        /* Pupils and parents have their profile from their kind. */
        if (attribute == NULL || (c == COL_PROFILE && person->kind != SESAME_AAF_KIND_STAFF) ||
            sesame_aaf_record_get_values (record, attribute) != NULL)
          continue;
        cols[c] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, c));
        if (c == COL_PROFILE)
          person->profile = cols[c][0] - '0';
      }
  for (guint c = 0; c < N_COLS && !person->row_changed; c++)
    person->row_changed = strcmp (_sesame_column_text (stmt, c), cols[c]) != 0;
  person->names_changed = strcmp (_sesame_column_text (stmt, COL_LAST_NAME), cols[COL_LAST_NAME]) != 0 ||
                          strcmp (_sesame_column_text (stmt, COL_FIRST_NAME), cols[COL_FIRST_NAME]) != 0 ||
                          strcmp (_sesame_column_text (stmt, COL_BIRTH_NAME), cols[COL_BIRTH_NAME]) != 0;
  person->returned = sqlite3_column_int (stmt, N_COLS) != 0;
  person->has_account = sqlite3_column_int (stmt, N_COLS + 1) != 0;
  sqlite3_reset (stmt);

  /* Nor does it touch a set of links it names none of the attributes of. */
  if (modify)
    {
      if (!any_present (record, "ENTEleveClasses", "ENTEleveGroupes", NULL))
        g_clear_pointer (&person->links[LINKS_MEMBERSHIPS], g_array_unref);
      if (!any_present (record, "ENTElevePersRelEleve", "ENTElevePere", "ENTEleveMere") &&
          !any_present (record, "ENTEleveParents", "ENTEleveAutoriteParentale", NULL))
        g_clear_pointer (&person->links[LINKS_GUARDIANS], g_array_unref);
      if (!any_present (record, "ENTPersonFonctions", NULL, NULL))
        g_clear_pointer (&person->links[LINKS_FUNCTIONS], g_array_unref);
      if (!any_present (record, "ENTAuxEnsClasses", "ENTAuxEnsGroupes", "ENTAuxEnsClassesPrincipal"))
        g_clear_pointer (&person->links[LINKS_TEACHINGS], g_array_unref);
      if (!any_present (record, "ENTAuxEnsMatiereEnseignEtab", NULL, NULL))
        g_clear_pointer (&person->links[LINKS_SUBJECTS], g_array_unref);
    }
  return TRUE;
}

static gboolean
write_row (SesameImportJob  *job,
           Person           *person,
           GError          **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_import_prepare (job,
                                 person->exists
                                 ? "UPDATE persons SET kind = ?2, profile = ?3, title = ?4, last_name = ?5, first_name = ?6,"
                                   " birth_name = ?7, birth_date = ?8, ine = ?9, structure = ?10, address = ?11,"
                                   " postal_code = ?12, city = ?13, country = ?14, email = ?15, home_phone = ?16,"
                                   " work_phone = ?17, mobile = ?18, is_head = ?19, last_import = ?21,"
                                   " left_at = NULL, deleted_at = NULL WHERE key = ?1"
                                 : "INSERT INTO persons (key, kind, profile, title, last_name, first_name, birth_name,"
                                   " birth_date, ine, structure, address, postal_code, city, country, email, home_phone,"
                                   " work_phone, mobile, is_head, first_seen_at, last_import)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
                                   " ?18, ?19, ?20, ?21)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person->key, -1, SQLITE_STATIC);
  for (guint c = 0; c < N_COLS; c++)
    {
      if (c == COL_PROFILE || c == COL_IS_HEAD)
        sqlite3_bind_int (stmt, c + 2, person->cols[c][0] - '0');
      else
        sqlite3_bind_text (stmt, c + 2, person->cols[c], -1, SQLITE_STATIC);
    }
  sqlite3_bind_int64 (stmt, N_COLS + 2, job->now);
  /* last_import names the import that last changed the person. */
  sqlite3_bind_text (stmt, N_COLS + 3, job->import_id, -1, SQLITE_STATIC);
  return _sesame_store_step_done (job->store, stmt, error);
}

static gboolean
write_links (SesameImportJob  *job,
             Person           *person,
             GError          **error)
{
  static const SesameImportLinkTable * const tables[N_LINK_SETS] = {
    [LINKS_MEMBERSHIPS] = &_sesame_import_memberships,
    [LINKS_GUARDIANS] = &_sesame_import_guardians,
    [LINKS_FUNCTIONS] = &_sesame_import_functions,
    [LINKS_TEACHINGS] = &_sesame_import_teachings,
    [LINKS_SUBJECTS] = &_sesame_import_staff_subjects,
  };

  for (guint i = 0; i < N_LINK_SETS; i++)
    if (person->links[i] != NULL &&
        !_sesame_import_sync_links (job, tables[i], person->key, person->links[i], person->exists,
                                    &person->links_changed, error))
      return FALSE;
  return TRUE;
}

static gboolean
ensure_account (SesameImportJob  *job,
                Person           *person,
                GError          **error)
{
  /* compare_stored() told whether the person has an account. */
  if (person->has_account)
    return TRUE;
  if (!_sesame_accounts_create (job->store, job->logins, person->key, person->profile,
                                person->cols[COL_FIRST_NAME], person->cols[COL_LAST_NAME],
                                job->import_id, error))
    return FALSE;
  job->summary->accounts_created++;
  if (sesame_profile_is_distributable (person->profile))
    remember_created (job, person->kind, person->key, person->structure);
  return TRUE;
}

static gboolean
apply_person (SesameImportJob       *job,
              const SesameAafRecord *record,
              Person                *person,
              GError               **error)
{
  read_columns (job, record, person);
  if (person->kind == SESAME_AAF_KIND_PUPIL)
    read_pupil_links (job, record, person);
  else if (person->kind == SESAME_AAF_KIND_STAFF)
    read_staff_links (job, record, person);
  person->cols[COL_PROFILE] = _sesame_import_digits[person->profile];

  if (!compare_stored (job, record, person, error))
    return FALSE;
  if ((!person->exists || person->row_changed || person->returned) && !write_row (job, person, error))
    return FALSE;
  if (!write_links (job, person, error))
    return FALSE;

  if (!person->exists)
    job->summary->persons_created++;
  else if (person->row_changed || person->links_changed || person->returned)
    job->summary->persons_updated++;

  if (person->returned && !_sesame_accounts_enable (job->store, person->key, error))
    return FALSE;
  if (!ensure_account (job, person, error))
    return FALSE;

  /* The free-text index is brought up to date at the end of the import. */
  if (person->exists && person->names_changed)
    g_ptr_array_add (job->renamed, (gpointer) _sesame_import_keep_string (job, person->key));
  return TRUE;
}

/**
 * _sesame_import_apply_person:
 * @job: the import
 * @record: an addRequest or modifyRequest of a pupil, parent or member of
 *   staff
 * @kind: the record's kind
 * @key: the person's directory key
 * @error: return location for a #GError
 *
 * Writes the person, their links and their account where something
 * changed; a person who had left and is listed again comes back.
 *
 * Returns: %FALSE if the store failed
 */
gboolean
_sesame_import_apply_person (SesameImportJob       *job,
                             const SesameAafRecord *record,
                             SesameAafKind          kind,
                             const char            *key,
                             GError               **error)
{
  Person person = { 0 };
  gboolean exists;
  gboolean ok;

  person.kind = kind;
  person.key = key;
  person.structure = _sesame_import_first_value (record, "ENTPersonStructRattach");
  if (kind == SESAME_AAF_KIND_STAFF && *person.structure == '\0')
    {
      /* Staff without a main structure belong to their first function's. */
      const char *f[2];

      _sesame_import_split (job, _sesame_import_first_value (record, "ENTPersonFonctions"), f, 2);
      person.structure = f[0];
    }

  if (!person_is_kept (job, kind, key, person.structure))
    return TRUE;

  if (key_is_taken (job, record, kind, key, &exists))
    return TRUE;
  /* A modifyRequest restates someone the directory gave before: for a
   * stranger it creates nobody (nor an account to hand out). */
  if (!exists && sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_MODIFY)
    {
      g_autofree char *name = record_name (record);

      _sesame_import_warn_record (job, sesame_aaf_record_get_line (record),
                                  _("a modifyRequest for %s (%s, key %s), who is neither in the store nor in these "
                                    "files, was skipped: only an addRequest creates a person"),
                                  name, _sesame_import_kind_label (kind), key);
      return TRUE;
    }

  switch (kind)
    {
    case SESAME_AAF_KIND_PUPIL:
      job->summary->pupils++;
      person.profile = SESAME_PROFILE_ELEVE;
      break;
    case SESAME_AAF_KIND_PARENT:
      job->summary->parents++;
      person.profile = SESAME_PROFILE_PARENT;
      break;
    case SESAME_AAF_KIND_STAFF:
    default:
      job->summary->staff++;
      person.profile = SESAME_PROFILE_NON_ENSEIGNANT;
      break;
    }

  /* Who is listed, and which structures a complete export lists in full:
   * an academy-wide export, those of the people it lists; an
   * establishment's, its own (see _sesame_import_mark_departures()) and
   * those of its people that no establishment claims yet, never that of
   * someone it lists from another establishment. */
  if (!g_hash_table_contains (job->seen, key))
    remember_seen (job, record, kind, key);
  if (job->file->info.complete)
    {
      const char *uai = g_hash_table_lookup (job->structure_uai, person.structure);

      job->complete_kind[kind] = TRUE;
      if (*person.structure != '\0' && !job->file->incomplete &&
          (job->file->info.uai[0] == '\0' || uai == NULL || *uai == '\0'))
        g_hash_table_add (job->covered[kind], (gpointer) _sesame_import_keep_string (job, person.structure));
    }
  _sesame_import_note_structure (job, person.structure,
                                 sesame_aaf_record_get_value_line (record, "ENTPersonStructRattach"));

  ok = apply_person (job, record, &person, error);
  person_clear (&person);
  return ok;
}

