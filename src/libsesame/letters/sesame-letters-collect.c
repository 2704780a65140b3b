/* sesame-letters-collect.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a batch of slips and letters prints, read from the store: which
 * accounts match the query, each person's name, class, address, login and
 * first password (once the operator may print them), a parent's children,
 * the establishments' letterheads; then in print order, a class of pupils
 * to a run of pages, and paginated.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-letters"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-credentials-private.h"
#include "sesame-letters-private.h"

/* Whether a person matches the establishment (?2, a UAI) and class (?3)
 * of a query: pupils and local accounts by their own structure and class,
 * parents through a child still at school. */
#define MATCHES_QUERY \
  "((p.profile <> " SESAME_SQL_PARENT \
  "   AND (?2 IS NULL OR p.structure IN (SELECT jointure FROM establishments WHERE uai = ?2))" \
  "   AND (?3 IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_key = p.key" \
  "     AND m.kind = 'class' AND m.deleted_at IS NULL AND m.code = ?3 COLLATE NOCASE" \
  "     AND (?2 IS NULL OR m.structure IN (SELECT jointure FROM establishments WHERE uai = ?2)))))" \
  " OR (p.profile = " SESAME_SQL_PARENT " AND ((?2 IS NULL AND ?3 IS NULL) OR EXISTS (" \
  "   SELECT 1 FROM guardians g JOIN persons c ON c.key = g.pupil_key" \
  "     AND c.deleted_at IS NULL AND c.left_at IS NULL" \
  "   WHERE g.parent_key = p.key AND g.deleted_at IS NULL" \
  "   AND (?2 IS NULL OR c.structure IN (SELECT jointure FROM establishments WHERE uai = ?2))" \
  "   AND (?3 IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_key = c.key" \
  "     AND m.kind = 'class' AND m.deleted_at IS NULL AND m.code = ?3 COLLATE NOCASE" \
  "     AND (?2 IS NULL OR m.structure IN (SELECT jointure FROM establishments WHERE uai = ?2))))))))"

/* The class of a person: one in their own structure first. */
#define CLASS_OF(person) \
  "COALESCE ((SELECT m.code FROM memberships m WHERE m.person_key = " person ".key AND m.kind = 'class'" \
  "   AND m.deleted_at IS NULL AND m.structure = " person ".structure ORDER BY m.code LIMIT 1)," \
  " (SELECT m.code FROM memberships m WHERE m.person_key = " person ".key AND m.kind = 'class'" \
  "   AND m.deleted_at IS NULL ORDER BY m.code LIMIT 1), '')"

static void
establishment_free (SesameLetterEstablishment *establishment)
{
  g_free (establishment->jointure);
  g_free (establishment->uai);
  g_free (establishment->name);
  g_free (establishment->street);
  g_free (establishment->postal_code);
  g_free (establishment->city);
  g_free (establishment->phone);
  g_free (establishment->academy);
  g_free (establishment->head_name);
  g_free (establishment);
}

static void
child_free (SesameLetterChild *child)
{
  g_free (child->name);
  g_free (child->class_name);
  g_free (child->elsewhere);
  g_free (child);
}

static void
item_free (SesameLetterItem *item)
{
  if (item->password != NULL)
    {
      /* A printed password should not linger in memory. */
      sodium_memzero (item->password, strlen (item->password));
      g_free (item->password);
    }
  g_free (item->key);
  g_free (item->title);
  g_free (item->display_name);
  g_free (item->class_name);
  g_strfreev (item->address);
  g_free (item->login);
  g_clear_pointer (&item->children, g_ptr_array_unref);
  g_free (item->group_key);
  g_free (item->name_key);
  g_free (item);
}

/* "First LAST", the way French school documents write names. */
static char *
display_name (const char *first_name,
              const char *last_name)
{
  g_autofree char *last = g_utf8_strup (last_name, -1);

  if (*first_name == '\0')
    return g_steal_pointer (&last);
  return g_strdup_printf ("%s %s", first_name, last);
}

/* Names sort as the store's NAME collation does: accents and case do not
 * count. */
static char *
fold_for_sort (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");

  return g_ascii_strdown (ascii, -1);
}

/* The address block of a letter, after the French standard (NF Z 10-011):
 * at most six lines of at most 38 characters, the last ones in capitals. */
static char **
address_lines (const char *title,
               const char *first_name,
               const char *last_name,
               const char *address,
               const char *postal_code,
               const char *city,
               const char *country)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_autofree char *name = display_name (first_name, last_name);
  g_auto(GStrv) street = g_strsplit (address, "\n", -1);
  g_autofree char *locality = NULL;
  guint n = 1;

  if (*title != '\0')
    {
      g_autofree char *titled = g_strdup_printf ("%s %s", title, name);
      g_strv_builder_add (lines, titled);
    }
  else
    g_strv_builder_add (lines, name);

  for (guint i = 0; street[i] != NULL && n < 5; i++)
    {
      g_autofree char *upper = NULL;

      g_strstrip (street[i]);
      if (*street[i] == '\0')
        continue;
      upper = g_utf8_strup (street[i], -1);
      g_strv_builder_add (lines, upper);
      n++;
    }

  locality = g_strstrip (g_strdup_printf ("%s %s", postal_code, city));
  if (*locality != '\0')
    {
      g_autofree char *upper = g_utf8_strup (locality, -1);
      g_strv_builder_add (lines, upper);
    }

  /* Only mail abroad names its country. */
  if (*country != '\0' && g_ascii_strcasecmp (country, "FRANCE") != 0)
    {
      g_autofree char *upper = g_utf8_strup (country, -1);
      g_strv_builder_add (lines, upper);
    }

  return g_strv_builder_end (lines);
}

static const SesameLetterEstablishment *
lookup_establishment (SesameLetterContent  *content,
                      SesameStore          *store,
                      const char           *jointure,
                      GError              **error)
{
  SesameLetterEstablishment *establishment;
  sqlite3_stmt *stmt;

  if (jointure == NULL || *jointure == '\0')
    return NULL;

  establishment = g_hash_table_lookup (content->establishments, jointure);
  if (establishment != NULL)
    return establishment;

  stmt = _sesame_store_prepare (store,
                                "SELECT uai, name, street, postal_code, city, phone, academy FROM establishments"
                                " WHERE jointure = ?",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  establishment = g_new0 (SesameLetterEstablishment, 1);
  establishment->jointure = g_strdup (jointure);
  establishment->uai = g_strdup (_sesame_column_text (stmt, 0));
  establishment->name = g_strdup (_sesame_column_text (stmt, 1));
  establishment->street = g_strdup (_sesame_column_text (stmt, 2));
  establishment->postal_code = g_strdup (_sesame_column_text (stmt, 3));
  establishment->city = g_strdup (_sesame_column_text (stmt, 4));
  establishment->phone = g_strdup (_sesame_column_text (stmt, 5));
  establishment->academy = g_strdup (_sesame_column_text (stmt, 6));
  sqlite3_reset (stmt);

  /* The letters are signed by the head of establishment. */
  stmt = _sesame_store_prepare (store,
                                "SELECT h.first_name, h.last_name FROM persons h"
                                " WHERE h.is_head = 1 AND h.left_at IS NULL AND h.deleted_at IS NULL"
                                " AND (h.structure = ?1 OR EXISTS (SELECT 1 FROM functions f WHERE f.person_key = h.key"
                                "   AND f.structure = ?1 AND f.code = 'DIR' AND f.deleted_at IS NULL))"
                                " ORDER BY h.structure = ?1 DESC, h.key LIMIT 1",
                                error);
  if (stmt == NULL)
    {
      establishment_free (establishment);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    establishment->head_name = display_name (_sesame_column_text (stmt, 0), _sesame_column_text (stmt, 1));
  else
    establishment->head_name = g_strdup ("");
  sqlite3_reset (stmt);

  g_hash_table_insert (content->establishments, establishment->jointure, establishment);
  return establishment;
}

/* A parent's children still at school and within the operator's reach;
 * with an establishment in the query, only those there. Sets the structure the letter comes from: the first
 * child's; children at another establishment say where they are. */
static gboolean
load_children (SesameStore                *store,
               const SesameOperatorReach  *reach,
               SesameLetterItem           *item,
               const char                 *uai,
               char                      **structure,
               GError                    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  item->children = g_ptr_array_new_with_free_func ((GDestroyNotify) child_free);
  *structure = NULL;

  stmt = _sesame_store_prepare (store,
                                "SELECT c.first_name, c.last_name, c.structure, " CLASS_OF ("c") ","
                                " COALESCE (e.name, ''), c.key"
                                " FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                "   AND c.deleted_at IS NULL AND c.left_at IS NULL"
                                " LEFT JOIN establishments e ON e.jointure = c.structure"
                                " WHERE g.parent_key = ?1 AND g.deleted_at IS NULL"
                                " AND (?2 IS NULL OR e.uai = ?2)"
                                " ORDER BY e.name COLLATE NAME, c.structure, c.last_name COLLATE NAME,"
                                "  c.first_name COLLATE NAME, c.key",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item->key, -1, SQLITE_TRANSIENT);
  if (uai != NULL)
    sqlite3_bind_text (stmt, 2, uai, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameLetterChild *child;
      const char *child_structure = _sesame_column_text (stmt, 2);
      const char *establishment_name = _sesame_column_text (stmt, 4);

      /* A child outside the operator's reach (in another establishment or
       * class) is not theirs to print: the letter leaves them out. */
      if (!_sesame_store_reach_has_person (store, reach, _sesame_column_text (stmt, 5)))
        continue;
      child = g_new0 (SesameLetterChild, 1);
      child->name = display_name (_sesame_column_text (stmt, 0), _sesame_column_text (stmt, 1));
      child->class_name = g_strdup (_sesame_column_text (stmt, 3));
      if (*structure == NULL)
        *structure = g_strdup (child_structure);
      else if (!g_str_equal (*structure, child_structure) && *establishment_name != '\0')
        child->elsewhere = g_strdup (establishment_name);
      g_ptr_array_add (item->children, child);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  guint n_staff;
  guint n_disabled;
  guint n_without_account;
} Skipped;

static SesameLetterItem *
load_item (SesameLetterContent      *content,
           SesameStore              *store,
           const SesameOperatorReach *reach,
           const SesameLetterQuery  *query,
           const char               *key,
           Skipped                  *skipped,
           GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  SesameLetterItem *item;
  g_autofree char *structure = NULL;
  sqlite3_stmt *stmt;
  gboolean activated, disabled;
  const char *first_name, *last_name;

  stmt = _sesame_store_prepare (store,
                                "SELECT p.profile, p.title, p.first_name, p.last_name, p.structure, p.address,"
                                " p.postal_code, p.city, p.country, a.login,"
                                " a.first_sign_in_at IS NOT NULL OR a.password_hash IS NOT NULL,"
                                " a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL,"
                                " " CLASS_OF ("p")
                                " FROM persons p LEFT JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " WHERE p.key = ? AND p.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("No person has the directory key “%s”."), key);
      return NULL;
    }

  if (!sesame_profile_is_distributable (sqlite3_column_int (stmt, 0)))
    {
      /* Academy staff sign in with their academic credentials. */
      sqlite3_reset (stmt);
      skipped->n_staff++;
      return NULL;
    }
  if (sqlite3_column_type (stmt, 9) == SQLITE_NULL)
    {
      sqlite3_reset (stmt);
      skipped->n_without_account++;
      return NULL;
    }
  disabled = sqlite3_column_int (stmt, 11) != 0;
  if (disabled)
    {
      sqlite3_reset (stmt);
      skipped->n_disabled++;
      return NULL;
    }

  item = g_new0 (SesameLetterItem, 1);
  item->key = g_strdup (key);
  item->profile = sqlite3_column_int (stmt, 0);
  item->title = g_strdup (_sesame_column_text (stmt, 1));
  first_name = _sesame_column_text (stmt, 2);
  last_name = _sesame_column_text (stmt, 3);
  item->display_name = display_name (first_name, last_name);
  {
    g_autofree char *last_key = fold_for_sort (last_name);
    g_autofree char *first_key = fold_for_sort (first_name);

    item->name_key = g_strdup_printf ("%s\x01%s", last_key, first_key);
  }
  structure = g_strdup (_sesame_column_text (stmt, 4));
  item->address = address_lines (item->title, first_name, last_name,
                                 _sesame_column_text (stmt, 5), _sesame_column_text (stmt, 6),
                                 _sesame_column_text (stmt, 7), _sesame_column_text (stmt, 8));
  item->login = g_strdup (_sesame_column_text (stmt, 9));
  activated = sqlite3_column_int (stmt, 10) != 0;
  item->class_name = g_strdup (_sesame_column_text (stmt, 12));
  sqlite3_reset (stmt);

  item->password_state = activated ? SESAME_LETTER_PASSWORD_PERSONALISED : SESAME_LETTER_PASSWORD_EXPIRED;

  switch (query->kind)
    {
    case SESAME_LETTER_KIND_SLIPS:
      item->slip = TRUE;
      break;
    case SESAME_LETTER_KIND_LETTERS:
      /* A letter is written to an adult at a postal address: pupils have
       * none in the directory, and "Monsieur, … Nous vous prions
       * d'agréer" is not how a school writes to a child. They get the
       * slip their main teacher hands out. */
      item->slip = item->profile == SESAME_PROFILE_ELEVE;
      break;
    case SESAME_LETTER_KIND_AUTO:
    default:
      item->slip = item->profile == SESAME_PROFILE_ELEVE;
      break;
    }

  if (item->profile == SESAME_PROFILE_PARENT)
    {
      g_clear_pointer (&structure, g_free);
      if (!load_children (store, reach, item, query->establishment, &structure, error))
        {
          item_free (item);
          return NULL;
        }
    }

  item->establishment = lookup_establishment (content, store, structure, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      item_free (item);
      return NULL;
    }

  return item;
}

/* Slips of one class follow each other: classes by establishment, then
 * pupils of a class, pupils without one, parents, and other accounts. */
static guint
group_rank (const SesameLetterItem *item)
{
  if (item->profile == SESAME_PROFILE_ELEVE)
    return *item->class_name != '\0' ? 0 : 1;
  if (item->profile == SESAME_PROFILE_PARENT)
    return 2;
  return 3;
}

static char *
make_group_key (const SesameLetterItem *item)
{
  g_autofree char *establishment = fold_for_sort (item->establishment ? item->establishment->name : "");
  g_autofree char *folded = g_utf8_casefold (item->class_name, -1);
  /* "6A" before "6B" before "10A", as a school lists its classes. */
  g_autofree char *class_key = g_utf8_collate_key_for_filename (folded, -1);

  return g_strdup_printf ("%s\x01%s\x01%u\x01%s",
                          establishment,
                          item->establishment ? item->establishment->jointure : "",
                          group_rank (item), class_key);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const SesameLetterItem *item_a = *(SesameLetterItem * const *) a;
  const SesameLetterItem *item_b = *(SesameLetterItem * const *) b;
  int cmp;

  /* Slips first, then letters. */
  if (item_a->slip != item_b->slip)
    return item_a->slip ? -1 : 1;
  if ((cmp = strcmp (item_a->group_key, item_b->group_key)) != 0)
    return cmp;
  if ((cmp = strcmp (item_a->name_key, item_b->name_key)) != 0)
    return cmp;
  return strcmp (item_a->key, item_b->key);
}

static gboolean
same_group (const SesameLetterItem *a,
            const SesameLetterItem *b)
{
  return a->slip && b->slip &&
         a->establishment == b->establishment &&
         group_rank (a) == group_rank (b) &&
         g_strcmp0 (a->class_name, b->class_name) == 0;
}

static void
paginate (SesameLetterContent *content)
{
  guint i = 0;

  while (i < content->items->len)
    {
      SesameLetterItem *item = g_ptr_array_index (content->items, i);

      if (!item->slip)
        {
          SesameLetterPage page = { FALSE, i, 1, 1, 1 };

          g_array_append_val (content->pages, page);
          content->n_letters++;
          i++;
          continue;
        }

      /* A group of slips: a class starts a new page. */
      {
        guint end = i + 1;
        guint n_sheets, first_page = content->pages->len;

        while (end < content->items->len && same_group (item, g_ptr_array_index (content->items, end)))
          end++;
        n_sheets = (end - i + SESAME_SLIPS_PER_PAGE - 1) / SESAME_SLIPS_PER_PAGE;
        for (guint sheet = 0; sheet < n_sheets; sheet++)
          {
            SesameLetterPage page;

            page.slip = TRUE;
            page.first = i + sheet * SESAME_SLIPS_PER_PAGE;
            page.n_items = MIN (SESAME_SLIPS_PER_PAGE, end - page.first);
            page.sheet = sheet + 1;
            page.n_sheets = n_sheets;
            g_array_append_val (content->pages, page);
          }
        g_assert (content->pages->len == first_page + n_sheets);
        content->n_slips += end - i;
        i = end;
      }
    }
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char **
collect_keys (SesameStore              *store,
              const SesameLetterQuery  *query,
              GCancellable             *cancellable,
              GError                  **error)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean explicit = query->logins != NULL || query->keys != NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!explicit)
    {
      stmt = _sesame_store_prepare (store, _sesame_profile_sql (
                                    "SELECT p.key FROM persons p"
                                    " JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                    " WHERE p.deleted_at IS NULL AND p.left_at IS NULL AND a.disabled_at IS NULL"
                                    " AND p.profile IN " SESAME_SQL_DISTRIBUTABLE
                                    " AND (?1 = 0 OR p.profile = ?1) AND " MATCHES_QUERY
                                    " ORDER BY p.key"),
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int (stmt, 1, query->profile);
      if (query->establishment != NULL)
        sqlite3_bind_text (stmt, 2, query->establishment, -1, SQLITE_TRANSIENT);
      if (query->class_name != NULL)
        sqlite3_bind_text (stmt, 3, query->class_name, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_strv_builder_add (keys, _sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _sesame_store_set_error (store, error);
          return NULL;
        }
      return g_strv_builder_end (keys);
    }

  for (guint i = 0; query->logins != NULL && query->logins[i] != NULL; i++)
    {
      char *key = NULL;

      stmt = _sesame_store_prepare (store,
                                    "SELECT person_key FROM accounts WHERE login = ? AND deleted_at IS NULL",
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, query->logins[i], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        key = g_strdup (_sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (key == NULL)
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                       _("No account has the login “%s”."), query->logins[i]);
          return NULL;
        }
      g_hash_table_add (seen, key);
    }
  for (guint i = 0; query->keys != NULL && query->keys[i] != NULL; i++)
    g_hash_table_add (seen, g_strdup (query->keys[i]));

  /* The other criteria of the query narrow the selection. */
  {
    GHashTableIter iter;
    const char *key;

    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
      {
        gboolean matches;

        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          return NULL;

        if (query->profile == SESAME_PROFILE_NONE && query->establishment == NULL && query->class_name == NULL)
          {
            g_strv_builder_add (keys, key);
            continue;
          }

        stmt = _sesame_store_prepare (store, _sesame_profile_sql (
                                      "SELECT 1 FROM persons p WHERE p.key = ?4"
                                      " AND (?1 = 0 OR p.profile = ?1) AND " MATCHES_QUERY),
                                      error);
        if (stmt == NULL)
          return NULL;
        sqlite3_bind_int (stmt, 1, query->profile);
        if (query->establishment != NULL)
          sqlite3_bind_text (stmt, 2, query->establishment, -1, SQLITE_TRANSIENT);
        if (query->class_name != NULL)
          sqlite3_bind_text (stmt, 3, query->class_name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
        matches = sqlite3_step (stmt) == SQLITE_ROW;
        sqlite3_reset (stmt);
        if (matches)
          g_strv_builder_add (keys, key);
      }
  }

  /* The same selection always meets its people in the same order. */
  {
    char **result = g_strv_builder_end (keys);

    qsort (result, g_strv_length (result), sizeof (char *), compare_strings);
    return result;
  }
}

static void
set_nothing_to_print_error (const Skipped  *skipped,
                            GError        **error)
{
  if (skipped->n_staff > 0 && skipped->n_disabled == 0 && skipped->n_without_account == 0)
    g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                         _("Nothing to print: academy staff sign in with their academic credentials, "
                           "so no slip or letter is ever printed for them."));
  else if (skipped->n_disabled > 0 || skipped->n_without_account > 0 || skipped->n_staff > 0)
    g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                         _("Nothing to print: the accounts chosen are disabled, belong to people who "
                           "left the establishment, or are academy staff accounts."));
  else
    g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                         _("Nothing to print: no pupil or parent account matches. "
                           "Check the class, the establishment or the logins."));
}


/* The first password that works now, read once the operator may print it.
 * One that cannot be unsealed here (a desk without the establishment's
 * key) stops the whole batch: never a slip with a blank password. */
static gboolean
read_password (SesameStore       *store,
               SesameLetterItem  *item,
               GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  item->password = _sesame_credentials_read_first_password (store, item->key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (item->password != NULL)
    item->password_state = SESAME_LETTER_PASSWORD_LIVE;
  return TRUE;
}

SesameLetterContent *
_sesame_letter_content_collect (SesameStore              *store,
                                const SesameLetterQuery  *query,
                                GCancellable             *cancellable,
                                GError                  **error)
{
  g_autoptr(SesameLetterContent) content = NULL;
  g_auto(SesameOperatorReach) reach = { 0, };
  g_auto(GStrv) keys = NULL;
  Skipped skipped = { 0 };

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_PRINT, NULL, error))
    return NULL;
  _sesame_store_get_reach (store, &reach);

  keys = collect_keys (store, query, cancellable, error);
  if (keys == NULL)
    return NULL;

  content = g_new0 (SesameLetterContent, 1);
  content->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  content->pages = g_array_new (FALSE, FALSE, sizeof (SesameLetterPage));
  content->establishments = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                   (GDestroyNotify) establishment_free);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      SesameLetterItem *item;

      if (i % 64 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      item = load_item (content, store, &reach, query, keys[i], &skipped, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (item == NULL)
        continue;
      g_ptr_array_add (content->items, item);

      /* The permission to print was checked before; the scope, read once,
       * is checked for each person. */
      if (!_sesame_store_reach_has_person (store, &reach, item->key))
        g_set_error_literal (&local_error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                             reach.admin ? _("This person is outside the establishments you administer.")
                                         : _("This person is outside the scope of your identifier manager role."));
      if (local_error != NULL)
        {
          /* Refuse the whole batch, and say who is in the way. */
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                       _("You may not print the identifiers of %s (login %s): %s "
                         "Remove this person from the selection or ask an administrator."),
                       item->display_name, item->login, local_error->message);
          return NULL;
        }
      if (!read_password (store, item, error))
        return NULL;
      if (item->password_state == SESAME_LETTER_PASSWORD_EXPIRED)
        content->n_expired++;
      item->group_key = make_group_key (item);
    }

  if (content->items->len == 0)
    {
      set_nothing_to_print_error (&skipped, error);
      return NULL;
    }

  g_ptr_array_sort (content->items, compare_items);
  paginate (content);
  return g_steal_pointer (&content);
}

void
_sesame_letter_content_free (SesameLetterContent *content)
{
  if (content == NULL)
    return;
  g_clear_pointer (&content->items, g_ptr_array_unref);
  g_clear_pointer (&content->pages, g_array_unref);
  g_clear_pointer (&content->establishments, g_hash_table_unref);
  g_free (content);
}
