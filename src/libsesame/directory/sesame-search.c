/* sesame-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Searching persons: free text through the FTS5 index (words in any order,
 * prefixes, case and accents folded by the unicode61 tokenizer), fields
 * through indexed columns. Identifier managers only ever see the persons
 * within the scope of their role: the scope is part of the query.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-search"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-person-private.h"
#include "sesame-search.h"
#include "sesame-store-private.h"

#define DEFAULT_LIMIT 200
#define MAX_LIMIT     100000

G_DEFINE_BOXED_TYPE (SesameSearchQuery, sesame_search_query,
                     sesame_search_query_copy, sesame_search_query_free)

/**
 * sesame_search_query_new:
 * Makes a query that finds everyone the operator may see; set its fields to
 * narrow it, then pass it to sesame_search_run().
 *
 * Returns: (transfer full): an empty query: any profile, any state, the
 *   default limit
 */
SesameSearchQuery *
sesame_search_query_new (void)
{
  SesameSearchQuery *query = g_new0 (SesameSearchQuery, 1);

  query->state = -1;
  return query;
}

/**
 * sesame_search_query_copy:
 * @query: a #SesameSearchQuery
 *
 * Copies a query with its strings, so that a search running in a thread
 * keeps its own.
 *
 * Returns: (transfer full): a copy of @query, freed with
 *   sesame_search_query_free()
 */
SesameSearchQuery *
sesame_search_query_copy (const SesameSearchQuery *query)
{
  SesameSearchQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  copy->text = g_strdup (query->text);
  copy->last_name = g_strdup (query->last_name);
  copy->first_name = g_strdup (query->first_name);
  copy->class_name = g_strdup (query->class_name);
  copy->subject = g_strdup (query->subject);
  copy->establishment = g_strdup (query->establishment);
  copy->login = g_strdup (query->login);
  copy->key = g_strdup (query->key);
  return copy;
}

/**
 * sesame_search_query_free:
 * @query: (nullable) (transfer full): a #SesameSearchQuery
 *
 * Frees @query and its strings. %NULL is ignored.
 */
void
sesame_search_query_free (SesameSearchQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->text);
  g_free (query->last_name);
  g_free (query->first_name);
  g_free (query->class_name);
  g_free (query->subject);
  g_free (query->establishment);
  g_free (query->login);
  g_free (query->key);
  g_free (query);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/**
 * sesame_search_query_is_empty:
 * @query: a #SesameSearchQuery
 *
 * Tells whether @query would find everyone: texts made only of blanks count
 * as unset. The window shows no results rather than the whole directory for
 * an empty query.
 *
 * Returns: whether no criterion is set
 */
gboolean
sesame_search_query_is_empty (const SesameSearchQuery *query)
{
  g_return_val_if_fail (query != NULL, TRUE);

  return is_blank (query->text) && is_blank (query->last_name) &&
         is_blank (query->first_name) && query->profile == SESAME_PROFILE_NONE &&
         is_blank (query->class_name) && is_blank (query->subject) &&
         is_blank (query->establishment) && is_blank (query->login) &&
         is_blank (query->key) && query->state < 0;
}

/* @text without its leading and trailing blanks, in ASCII lower or upper
 * case: a new string (the intermediate copy is freed). */
static char *
dup_stripped_case (const char *text,
                   gboolean    upper)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  return upper ? g_ascii_strup (stripped, -1) : g_ascii_strdown (stripped, -1);
}

static gboolean
looks_like_login (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  gboolean marked = FALSE;

  if (*trimmed == '\0')
    return FALSE;
  for (const char *p = trimmed; *p != '\0'; p++)
    {
      if (*p == '.' || g_ascii_isdigit (*p))
        marked = TRUE;
      else if (!g_ascii_isalpha (*p) && *p != '-')
        return FALSE;
    }
  return marked;
}

/* Turns typed words into an FTS5 expression: each word a quoted prefix,
 * all of them required, optionally within one column. Quoting keeps FTS5
 * syntax (AND, NEAR, ", *, :) in the typed text inert. */
static char *
fts_expression_full (const char *text,
                     const char *column,
                     gboolean    prefix)
{
  g_autoptr(GString) expr = g_string_new (NULL);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          if (expr->len > 0)
            g_string_append (expr, " AND ");
          if (column != NULL)
            g_string_append_printf (expr, "%s : ", column);
          g_string_append_printf (expr, prefix ? "\"%s\"*" : "\"%s\"", word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }

  return expr->len > 0 ? g_string_free (g_steal_pointer (&expr), FALSE) : NULL;
}

static char *
fts_expression (const char *text,
                const char *column)
{
  return fts_expression_full (text, column, TRUE);
}

/* A login typed at the desk as a GLOB prefix, or NULL when it holds a GLOB
 * character (no login does): it is then compared whole. */
static char *
login_glob_prefix (const char *text)
{
  g_autofree char *login = dup_stripped_case (text, FALSE);

  if (strpbrk (login, "*?[]") != NULL)
    return NULL;
  return g_strconcat (login, "*", NULL);
}

typedef struct
{
  GString   *sql;
  GPtrArray *params;   /* strings bound in order */
} QueryBuilder;

static void
add_condition (QueryBuilder *qb,
               const char   *condition,
               const char   *param)
{
  g_string_append_printf (qb->sql, " AND %s", condition);
  if (param != NULL)
    g_ptr_array_add (qb->params, g_strdup (param));
}

/* The persons whose login, today's or a former one, begins with what
 * @pattern (a GLOB prefix) says, or is @login when there is no pattern. */
static void
add_login_condition (QueryBuilder *qb,
                     const char   *pattern,
                     const char   *login)
{
  const char *op = pattern != NULL ? "GLOB" : "=";

  g_string_append_printf (qb->sql,
                          " AND p.key IN (SELECT person_key FROM accounts WHERE login %s ? AND deleted_at IS NULL"
                          " UNION SELECT person_key FROM former_logins WHERE login %s ?)",
                          op, op);
  g_ptr_array_add (qb->params, g_strdup (pattern != NULL ? pattern : login));
  g_ptr_array_add (qb->params, g_strdup (pattern != NULL ? pattern : login));
}

static char *
strip_key_prefix (const char *key)
{
  const char *dollar = strrchr (key, '$');
  return g_strstrip (g_strdup (dollar ? dollar + 1 : key));
}

/* Names sort the way a school list does: accents and case do not count. */
static char *
sort_key (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  return g_ascii_strdown (ascii, -1);
}

static int
compare_folded (const char *a,
                const char *b)
{
  g_autofree char *key_a = sort_key (a);
  g_autofree char *key_b = sort_key (b);

  return strcmp (key_a, key_b);
}

static int
compare_names (const char *a,
               const char *b)
{
  g_autofree char *key_a = sort_key (a);
  g_autofree char *key_b = sort_key (b);
  int cmp = strcmp (key_a, key_b);

  return cmp != 0 ? cmp : strcmp (a, b);
}

static gpointer
copy_string (gconstpointer string,
             gpointer      user_data)
{
  return g_strdup (string);
}

/* Why each person was found, as far as ordering goes: a word of the text
 * that is their whole surname first (MARTIN before Martine), then a whole
 * word of their names, then the rest. */
enum {
  RANK_SURNAME,
  RANK_WORD,
  RANK_PREFIX,
};

static int
compare_people (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  SesamePerson *pa = (SesamePerson *) a;
  SesamePerson *pb = (SesamePerson *) b;
  GHashTable *ranks = user_data;
  int cmp;

  if (ranks != NULL)
    {
      guint ra = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, sesame_person_get_key (pa)));
      guint rb = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, sesame_person_get_key (pb)));

      if (ra != rb)
        return ra < rb ? -1 : 1;
    }
  /* Martin and MARTIN are one surname: their first names sort together. */
  if ((cmp = compare_folded (sesame_person_get_last_name (pa), sesame_person_get_last_name (pb))) != 0)
    return cmp;
  if ((cmp = compare_folded (sesame_person_get_first_name (pa), sesame_person_get_first_name (pb))) != 0)
    return cmp;
  if ((cmp = compare_names (sesame_person_get_last_name (pa), sesame_person_get_last_name (pb))) != 0)
    return cmp;
  if ((cmp = compare_names (sesame_person_get_first_name (pa), sesame_person_get_first_name (pb))) != 0)
    return cmp;
  return strcmp (sesame_person_get_key (pa), sesame_person_get_key (pb));
}

/* The words of @text, folded as the index folds them: no accents, lower
 * case. */
static char **
folded_words (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *folded = sort_key (text != NULL ? text : "");
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded; ; p++)
    {
      if (*p != '\0' && g_ascii_isalnum (*p))
        {
          g_string_append_c (word, *p);
          continue;
        }
      if (word->len > 0)
        {
          g_strv_builder_add (builder, word->str);
          g_string_truncate (word, 0);
        }
      if (*p == '\0')
        break;
    }
  return g_strv_builder_end (builder);
}

/* Whether every word of @words begins a word of @names. */
static gboolean
words_begin (char       **words,
             char       **names)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; !found && names[j] != NULL; j++)
        found = g_str_has_prefix (names[j], words[i]);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static guint
rank_person (SesamePerson *person,
             char        **words,
             gboolean      exact_pass)
{
  g_auto(GStrv) last = folded_words (sesame_person_get_last_name (person));
  g_autofree char *whole_last = g_strjoinv (" ", last);
  g_autofree char *typed = g_strjoinv (" ", words);

  if (g_str_equal (whole_last, typed))
    return RANK_SURNAME;
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_equal (whole_last, words[i]))
      return RANK_SURNAME;
  return exact_pass ? RANK_WORD : RANK_PREFIX;
}

/* Says why @person was found when the names shown do not: a birth name, a
 * former login. */
static void
explain_match (SesamePerson *person,
               char        **words,
               const char   *birth_name,
               const char   *login_prefix,
               const char   *former_logins)
{
  if (words != NULL && words[0] != NULL && *birth_name != '\0')
    {
      g_autofree char *names = g_strconcat (sesame_person_get_last_name (person), " ",
                                            sesame_person_get_first_name (person), NULL);
      g_auto(GStrv) shown = folded_words (names);

      if (!words_begin (words, shown))
        {
          g_autofree char *reason = g_strdup_printf (_("birth name: %s"), birth_name);

          _sesame_person_set_field (person, SESAME_PERSON_MATCH, reason);
          return;
        }
    }

  if (login_prefix != NULL && !g_str_has_prefix (sesame_person_get_login (person), login_prefix) &&
      *former_logins != '\0')
    {
      g_auto(GStrv) former = g_strsplit (former_logins, "\x1f", -1);

      for (guint i = 0; former[i] != NULL; i++)
        if (g_str_has_prefix (former[i], login_prefix))
          {
            g_autofree char *reason = g_strdup_printf (_("former login: %s"), former[i]);

            _sesame_person_set_field (person, SESAME_PERSON_MATCH, reason);
            return;
          }
    }
}

static SesamePerson *
read_person (sqlite3_stmt *stmt)
{
  SesamePerson *person = sesame_person_new ();
  const char *classes = _sesame_column_text (stmt, 17);
  g_auto(GStrv) class_list = *classes ? g_strsplit (classes, "\x1f", -1) : NULL;
  gboolean left = sqlite3_column_type (stmt, 9) != SQLITE_NULL;

  _sesame_person_set_field (person, SESAME_PERSON_KEY, _sesame_column_text (stmt, 0));
  _sesame_person_set_field (person, SESAME_PERSON_KIND, _sesame_column_text (stmt, 1));
  _sesame_person_set_profile (person, sqlite3_column_int (stmt, 2));
  _sesame_person_set_field (person, SESAME_PERSON_TITLE, _sesame_column_text (stmt, 3));
  _sesame_person_set_field (person, SESAME_PERSON_LAST_NAME, _sesame_column_text (stmt, 4));
  _sesame_person_set_field (person, SESAME_PERSON_FIRST_NAME, _sesame_column_text (stmt, 5));
  _sesame_person_set_field (person, SESAME_PERSON_STRUCTURE, _sesame_column_text (stmt, 6));
  _sesame_person_set_field (person, SESAME_PERSON_EMAIL, _sesame_column_text (stmt, 7));
  _sesame_person_set_has_left (person, left);
  _sesame_person_set_field (person, SESAME_PERSON_LOGIN, _sesame_column_text (stmt, 10));
  _sesame_person_set_times (person,
                            sqlite3_column_int64 (stmt, 11),
                            sqlite3_column_int64 (stmt, 12),
                            sqlite3_column_int64 (stmt, 13));
  if (left || sqlite3_column_type (stmt, 14) != SQLITE_NULL)
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_DISABLED);
  else if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_ACTIVE);
  else
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_PENDING);
  _sesame_person_set_field (person, SESAME_PERSON_ESTABLISHMENT, _sesame_column_text (stmt, 15));
  _sesame_person_set_field (person, SESAME_PERSON_ESTABLISHMENT_NAME, _sesame_column_text (stmt, 16));
  _sesame_person_set_classes (person, (const char * const *) class_list);
  _sesame_person_set_field (person, SESAME_PERSON_BIRTH_NAME, _sesame_column_text (stmt, 18));
  return person;
}

/**
 * sesame_search_run:
 * @self: a #SesameStore
 * @query: what to look for
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Searches persons. With text, the people whose surname is a word typed
 * come first, then those with a name that is a whole word typed, then the
 * others; within each, and without text, by last name then first name.
 * When there are more matches than @query's limit, the people with a
 * whole word typed are returned first, and which of the others is not
 * specified: the caller says "refine the search". A person found by
 * something the names do not show (a birth name, a former login) says it
 * in %SESAME_PERSON_MATCH. Identifier managers see only the persons within
 * the scope of their role.
 *
 * The search blocks on the store: the window runs it in a thread, on a
 * connection of its own (sesame_store_dup()) and a copy of the query. It
 * fails with %SESAME_ERROR_PERMISSION_DENIED when the acting operator may
 * not search, %SESAME_ERROR_INVALID when a criterion is not valid UTF-8,
 * %G_IO_ERROR_CANCELLED when @cancellable was cancelled, and
 * %SESAME_ERROR_BUSY or %SESAME_ERROR_FAILED when the store does.
 *
 * Returns: (transfer full): a #GListModel of #SesamePerson, or %NULL with
 *   @error set
 */
GListModel *
sesame_search_run (SesameStore              *self,
                   const SesameSearchQuery  *query,
                   GCancellable             *cancellable,
                   GError                  **error)
{
  g_autoptr(GListStore) results = NULL;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_auto(SesameOperatorReach) reach = { 0, };
  g_autoptr(GString) sql = NULL;
  g_autofree char *fts_match = NULL;
  g_autofree char *exact_match = NULL;
  g_autofree char *typed_login = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) ranks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  QueryBuilder qb;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  guint limit;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEARCH, NULL, error))
    return NULL;

  /* Typed on a command line, criteria may be any bytes: the words of the
   * text are read character by character. */
  {
    const char * const criteria[] = {
      query->text, query->last_name, query->first_name, query->class_name, query->subject,
      query->establishment, query->login, query->key,
    };

    for (guint i = 0; i < G_N_ELEMENTS (criteria); i++)
      if (criteria[i] != NULL && !g_utf8_validate (criteria[i], -1, NULL))
        {
          g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                               _("The search holds text that is not valid UTF-8: check the character set of the terminal."));
          return NULL;
        }
  }

  results = g_list_store_new (SESAME_TYPE_PERSON);
  limit = query->limit == 0 ? DEFAULT_LIMIT : MIN (query->limit, MAX_LIMIT);

  sql = g_string_new (_sesame_profile_sql ("SELECT p.key, p.kind, p.profile, p.title, p.last_name, p.first_name, p.structure,"
                      " p.email, p.is_head, p.left_at, a.login, a.created_at, a.first_sign_in_at,"
                      " a.last_sign_in_at, a.disabled_at, e.uai, e.name,"
                      /* The classes: a pupil's, a parent's children's, or
                       * those a member of staff teaches. */
                      " CASE p.profile"
                      " WHEN " SESAME_SQL_PUPIL " THEN (SELECT group_concat (code, char(31)) FROM (SELECT DISTINCT m.code"
                      "   FROM memberships m WHERE m.person_key = p.key AND m.kind = 'class'"
                      "   AND m.deleted_at IS NULL ORDER BY 1))"
                      " WHEN " SESAME_SQL_PARENT " THEN (SELECT group_concat (code, char(31)) FROM (SELECT DISTINCT m.code"
                      "   FROM guardians g JOIN memberships m ON m.person_key = g.pupil_key"
                      "   AND m.kind = 'class' AND m.deleted_at IS NULL"
                      "   WHERE g.parent_key = p.key AND g.deleted_at IS NULL @CHILD_SCOPE_CLASSES@ ORDER BY 1))"
                      " ELSE (SELECT group_concat (code, char(31)) FROM (SELECT DISTINCT t.code"
                      "   FROM teachings t WHERE t.person_key = p.key AND t.kind IN ('class', 'principal')"
                      "   AND t.deleted_at IS NULL ORDER BY 1)) END,"
                      " p.birth_name,"
                      " (SELECT group_concat (fl.login, char(31)) FROM former_logins fl WHERE fl.person_key = p.key)"
                      " FROM @SOURCE@"
                      " LEFT JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                      " LEFT JOIN establishments e ON e.jointure = CASE WHEN p.structure <> '' THEN p.structure ELSE"
                      "   (SELECT c.structure FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                      "    WHERE g.parent_key = p.key AND g.deleted_at IS NULL @CHILD_SCOPE@"
                      "    ORDER BY c.left_at IS NOT NULL LIMIT 1) END"
                      " WHERE p.deleted_at IS NULL"));
  qb.sql = sql;
  qb.params = params;

  /* A parent's classes and establishment are those of their children
   * within the operator's reach (c): a child elsewhere is not shown. */
  _sesame_store_get_reach (self, &reach);
  if (reach.kind == SESAME_REACH_ALL)
    {
      g_string_replace (sql, "@CHILD_SCOPE_CLASSES@", "", 1);
      g_string_replace (sql, "@CHILD_SCOPE@", "", 1);
    }
  else
    {
      g_autofree char *classes = _sesame_store_scope_condition (self, &reach, "c", params);
      g_autofree char *establishment = _sesame_store_scope_condition (self, &reach, "c", params);
      g_autofree char *exists = g_strdup_printf ("AND EXISTS (SELECT 1 FROM persons c WHERE c.key = g.pupil_key"
                                                 " AND %s)", classes);
      g_autofree char *and = g_strdup_printf ("AND %s", establishment);

      g_string_replace (sql, "@CHILD_SCOPE_CLASSES@", exists, 1);
      g_string_replace (sql, "@CHILD_SCOPE@", and, 1);
    }

  /* Every FTS criterion goes into one MATCH. */
  {
    g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
    char *part;

    if (!is_blank (query->text) && looks_like_login (query->text))
      {
        /* Names hold no dots or digits: this is a login, typed at the desk,
         * today's or one the person had before a change. */
        g_autofree char *pattern = login_glob_prefix (query->text);

        typed_login = dup_stripped_case (query->text, FALSE);
        /* A prefix GLOB on a login holding no GLOB character uses the
         * accounts_login and former_logins_login indexes. */
        add_login_condition (&qb, pattern, typed_login);
      }
    else if (!is_blank (query->text) && (part = fts_expression (query->text, NULL)) != NULL)
      {
        g_ptr_array_add (parts, part);
        words = folded_words (query->text);
      }
    if (!is_blank (query->last_name) && (part = fts_expression (query->last_name, "last_name")) != NULL)
      g_ptr_array_add (parts, part);
    if (!is_blank (query->first_name) && (part = fts_expression (query->first_name, "first_name")) != NULL)
      g_ptr_array_add (parts, part);

    if (parts->len > 0)
      {
        g_autofree char *match = NULL;

        g_ptr_array_add (parts, NULL);
        match = g_strjoinv (" AND ", (char **) parts->pdata);
        fts_match = g_steal_pointer (&match);
      }
  }

  if (query->profile != SESAME_PROFILE_NONE)
    {
      g_autofree char *profile = g_strdup_printf ("%d", query->profile);
      add_condition (&qb, "p.profile = CAST (? AS INTEGER)", profile);
    }

  if (!is_blank (query->establishment))
    {
      g_autofree char *uai = dup_stripped_case (query->establishment, TRUE);
      /* A parent belongs to their children's establishments. The set of
       * rowids is built once (a few thousand people at most); a person is
       * then a lookup in it, made before their row is read. */
      g_string_append (sql,
                       " AND p.rowid IN (SELECT rowid FROM persons WHERE structure IN"
                       "   (SELECT jointure FROM establishments WHERE uai = ?)"
                       " UNION SELECT r.rowid FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                       "   JOIN persons r ON r.key = g.parent_key"
                       "   WHERE g.deleted_at IS NULL"
                       "   AND c.structure IN (SELECT jointure FROM establishments WHERE uai = ?))");
      g_ptr_array_add (params, g_strdup (uai));
      g_ptr_array_add (params, g_strdup (uai));
    }

  if (!is_blank (query->login))
    {
      /* Former logins too; at the desk, by their beginning. */
      g_autofree char *pattern = query->login_prefix ? login_glob_prefix (query->login) : NULL;

      g_free (typed_login);
      typed_login = dup_stripped_case (query->login, FALSE);
      add_login_condition (&qb, pattern, typed_login);
    }

  if (!is_blank (query->key))
    {
      g_autofree char *key = strip_key_prefix (query->key);
      add_condition (&qb, "p.key = ?", key);
    }

  if (!is_blank (query->class_name))
    {
      g_autofree char *code = g_strstrip (g_strdup (query->class_name));
      /* The pupils of the class, their guardians and its teachers; the
       * codes are found through their case-insensitive indexes. */
      /* Class codes repeat from one establishment to the next: with an
       * establishment, only its classes. */
      const char *in_establishment = "";
      g_autofree char *uai = NULL;

      if (!is_blank (query->establishment))
        {
          in_establishment = " AND structure IN (SELECT jointure FROM establishments WHERE uai = ?)";
          uai = dup_stripped_case (query->establishment, TRUE);
        }
      g_string_append_printf (sql,
                              " AND p.key IN (SELECT person_key FROM memberships"
                              "   WHERE code = ? COLLATE NOCASE AND deleted_at IS NULL%s"
                              " UNION SELECT person_key FROM teachings"
                              "   WHERE code = ? COLLATE NOCASE AND deleted_at IS NULL%s"
                              " UNION SELECT g.parent_key FROM memberships m JOIN guardians g ON g.pupil_key = m.person_key"
                              "   AND g.deleted_at IS NULL"
                              "   WHERE m.code = ? COLLATE NOCASE AND m.deleted_at IS NULL%s)",
                              in_establishment, in_establishment, in_establishment);
      for (guint i = 0; i < 3; i++)
        {
          g_ptr_array_add (params, g_strdup (code));
          if (uai != NULL)
            g_ptr_array_add (params, g_strdup (uai));
        }
    }

  if (!is_blank (query->subject))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (query->subject));
      g_autofree char *subject = g_strdup_printf ("%%%s%%", stripped);
      g_string_append (sql,
                       " AND (EXISTS (SELECT 1 FROM staff_subjects s WHERE s.person_key = p.key"
                       "   AND s.label LIKE ? AND s.deleted_at IS NULL)"
                       " OR EXISTS (SELECT 1 FROM functions f WHERE f.person_key = p.key"
                       "   AND f.discipline_label LIKE ? AND f.deleted_at IS NULL))");
      g_ptr_array_add (params, g_strdup (subject));
      g_ptr_array_add (params, g_strdup (subject));
    }

  if (query->state == SESAME_ACCOUNT_STATE_PENDING)
    g_string_append (sql, " AND a.login IS NOT NULL AND a.first_sign_in_at IS NULL"
                          " AND a.disabled_at IS NULL AND p.left_at IS NULL");
  else if (query->state == SESAME_ACCOUNT_STATE_ACTIVE)
    g_string_append (sql, " AND a.first_sign_in_at IS NOT NULL AND a.disabled_at IS NULL AND p.left_at IS NULL");
  else if (query->state == SESAME_ACCOUNT_STATE_DISABLED)
    g_string_append (sql, " AND (a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL)");

  /* Only the persons within the operator's reach, as
   * sesame_store_operator_check_permission() sees them. */
  if (reach.kind != SESAME_REACH_ALL)
    {
      g_autofree char *condition = _sesame_store_scope_set_condition (self, &reach, "p", params);

      g_string_append_printf (sql, " AND %s", condition);
    }

  /* The query is driven by the text index when there is text, and stops at
   * the limit: sorting every match of a short prefix over a million persons
   * would take far longer than typing the next letter. Typed words are
   * first looked up whole, then as prefixes: when a common prefix matches
   * more than the limit, the people bearing the very name typed are never
   * the ones left out. The results are sorted below. */
  db = _sesame_store_get_db (self);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  exact_match = words != NULL ? fts_expression_full (query->text, NULL, FALSE) : NULL;
  for (guint pass = exact_match != NULL ? 0 : 1; pass < 2; pass++)
    {
      g_autoptr(GString) pass_sql = g_string_new (sql->str);
      g_autoptr(GPtrArray) pass_params = g_ptr_array_copy (params, copy_string, NULL);
      const char *match = pass == 0 ? exact_match : fts_match;
      guint found = g_list_model_get_n_items (G_LIST_MODEL (results));

      g_ptr_array_set_free_func (pass_params, g_free);
      if (found >= limit)
        break;
      if (match != NULL && !is_blank (query->establishment))
        {
          /* Within an establishment, its people are fewer than those a
           * common name matches across the academy: the two sets of rowids
           * meet before any row is read. */
          g_string_replace (pass_sql, "@SOURCE@", "persons p", 1);
          g_string_append (pass_sql, " AND p.rowid IN (SELECT rowid FROM persons_fts WHERE persons_fts MATCH ?)");
          g_ptr_array_add (pass_params, g_strdup (match));
        }
      else if (match != NULL)
        {
          g_string_replace (pass_sql, "@SOURCE@", "persons_fts f JOIN persons p ON p.rowid = f.rowid", 1);
          g_string_append (pass_sql, " AND persons_fts MATCH ?");
          g_ptr_array_add (pass_params, g_strdup (match));
        }
      else
        g_string_replace (pass_sql, "@SOURCE@", "persons p", 1);
      /* The people found whole come back among the prefixes: room for them. */
      g_string_append_printf (pass_sql, " LIMIT %u", limit + found);

      if (sqlite3_prepare_v2 (db, pass_sql->str, -1, &stmt, NULL) != SQLITE_OK)
        {
          g_critical ("Cannot prepare the search: %s", sqlite3_errmsg (db));
          _sesame_store_set_error (self, error);
          return NULL;
        }
      for (guint i = 0; i < pass_params->len; i++)
        sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (pass_params, i), -1, SQLITE_STATIC);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(SesamePerson) person = NULL;

          if (g_cancellable_is_cancelled (cancellable))
            break;
          if (g_hash_table_contains (seen, _sesame_column_text (stmt, 0)))
            continue;
          if (g_list_model_get_n_items (G_LIST_MODEL (results)) >= limit)
            break;

          person = read_person (stmt);
          explain_match (person, words, _sesame_column_text (stmt, 18), typed_login, _sesame_column_text (stmt, 19));
          if (words != NULL)
            g_hash_table_insert (ranks, g_strdup (sesame_person_get_key (person)),
                                 GUINT_TO_POINTER (rank_person (person, words, pass == 0)));
          g_hash_table_add (seen, g_strdup (sesame_person_get_key (person)));
          g_list_store_append (results, person);
        }
      sqlite3_finalize (stmt);
      stmt = NULL;
      if (rc == SQLITE_ROW)
        rc = SQLITE_DONE;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      else if (rc != SQLITE_DONE)
        {
          _sesame_store_set_error (self, error);
          return NULL;
        }
    }

  g_list_store_sort (results, compare_people, words != NULL ? ranks : NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&results));
}

/* What to search by */

/**
 * sesame_search_group_free:
 * @group: (nullable) (transfer full): a #SesameSearchGroup
 *
 * Frees @group and its code. %NULL is ignored.
 */
void
sesame_search_group_free (SesameSearchGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->code);
  g_free (group);
}

/**
 * sesame_search_list_subjects:
 * @self: a #SesameStore
 * @establishment: (nullable): an establishment UAI, or %NULL for all
 * @error: return location for a #GError
 *
 * Lists the subjects taught in the directory (its MatiereEducNat), for
 * the "Subject Taught" criterion of a search, in alphabetical order.
 *
 * It reads the store, which is used by one thread at a time. It fails with
 * %SESAME_ERROR_PERMISSION_DENIED when the acting operator may not search,
 * or with the store's (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED) errors.
 *
 * Returns: (transfer full) (element-type utf8): the subjects, or %NULL with
 *   @error set
 */
GPtrArray *
sesame_search_list_subjects (SesameStore  *self,
                             const char   *establishment,
                             GError      **error)
{
  g_autoptr(GPtrArray) subjects = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEARCH, NULL, error))
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "SELECT DISTINCT label FROM staff_subjects"
                                " WHERE deleted_at IS NULL AND label <> ''"
                                " AND (?1 IS NULL OR structure IN (SELECT jointure FROM establishments WHERE uai = ?1))"
                                " ORDER BY label COLLATE NOCASE",
                                error);
  if (stmt == NULL)
    return NULL;
  if (establishment != NULL && *establishment != '\0')
    sqlite3_bind_text (stmt, 1, establishment, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (subjects, g_strdup (_sesame_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&subjects);
}

/**
 * sesame_search_list_groups:
 * @self: a #SesameStore
 * @establishment: (nullable): an establishment UAI, or %NULL for all
 * @error: return location for a #GError
 *
 * Lists the classes and groups of the directory with how many pupils each
 * holds: classes first, then groups, each in alphabetical order.
 *
 * It reads the store, which is used by one thread at a time. It fails with
 * %SESAME_ERROR_PERMISSION_DENIED when the acting operator may not search,
 * or with the store's (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED) errors.
 *
 * Returns: (transfer full) (element-type SesameSearchGroup): the classes
 *   and groups, or %NULL with @error set
 */
GPtrArray *
sesame_search_list_groups (SesameStore  *self,
                           const char   *establishment,
                           GError      **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_search_group_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEARCH, NULL, error))
    return NULL;

  /* Codes compare as the search compares them: case aside. */
  stmt = _sesame_store_prepare (self,
                                "SELECT min (code), kind = 'class', count (DISTINCT person_key) FROM memberships"
                                " WHERE deleted_at IS NULL AND kind IN ('class', 'group')"
                                " AND (?1 IS NULL OR structure IN (SELECT jointure FROM establishments WHERE uai = ?1))"
                                " GROUP BY code COLLATE NOCASE, kind"
                                " ORDER BY kind = 'class' DESC, code COLLATE NOCASE",
                                error);
  if (stmt == NULL)
    return NULL;
  if (establishment != NULL && *establishment != '\0')
    sqlite3_bind_text (stmt, 1, establishment, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameSearchGroup *group = g_new0 (SesameSearchGroup, 1);

      group->code = g_strdup (_sesame_column_text (stmt, 0));
      group->is_class = sqlite3_column_int (stmt, 1);
      group->n_pupils = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (groups, group);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&groups);
}
