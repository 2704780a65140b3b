/* sesame-login.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules of logins: how a login is made from a person's names
 * (`prenom.nom`, in plain ASCII), what a well-formed login is, and which
 * number a homonym gets. The import gives logins to thousands of persons
 * at once and an administrator may type one at the desk: both follow the
 * rules written here, one account at a time or from the store's logins
 * read into memory once.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-accounts"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-login-private.h"

#define LOGIN_PART_MAX   40
#define LOGIN_MAX        80

/* Turns a name into a login part: ASCII lower case, apostrophes dropped,
 * spaces, hyphens and underscores joined by one hyphen, anything else
 * dropped. */
static char *
login_part (const char *name)
{
  g_autofree char *ascii = NULL;
  GString *part;
  gboolean pending_hyphen = FALSE;

  if (name == NULL)
    return g_strdup ("");

  /* The "C" locale gives GLib's own transliteration table: é→e, ç→c,
   * œ→oe, ß→ss, whatever the desk's locale. */
  ascii = g_str_to_ascii (name, "C");
  part = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && part->len < LOGIN_PART_MAX; p++)
    {
      char c = g_ascii_tolower (*p);

      if (g_ascii_isalnum (c))
        {
          if (pending_hyphen && part->len > 0)
            g_string_append_c (part, '-');
          pending_hyphen = FALSE;
          g_string_append_c (part, c);
        }
      else if (c == ' ' || c == '-' || c == '_' || c == '.')
        pending_hyphen = TRUE;
      /* Apostrophes and other marks vanish: d'Artagnan → dartagnan. */
    }

  return g_string_free (part, FALSE);
}

/**
 * sesame_login_make:
 * @first_name: (nullable): the person's first name
 * @last_name: (nullable): the person's last name
 *
 * Makes the base login `prenom.nom` from a person's names: lower case ASCII
 * (é→e, ç→c, œ→oe, ß→ss), apostrophes removed ("D'Almeida" → "dalmeida"),
 * spaces and hyphens within a name become one hyphen ("Le Gall" →
 * "le-gall", "Jean-Pierre" → "jean-pierre"), other characters dropped, each
 * part cut at 40 characters. The store adds a numeric suffix (2, 3, …) to
 * homonyms.
 *
 * Returns: (transfer full): the base login, or "utilisateur" when both names
 *   are empty
 */
char *
sesame_login_make (const char *first_name,
                   const char *last_name)
{
  g_autofree char *first = login_part (first_name);
  g_autofree char *last = login_part (last_name);

  if (*first != '\0' && *last != '\0')
    return g_strdup_printf ("%s.%s", first, last);
  if (*first != '\0' || *last != '\0')
    return g_strdup (*first ? first : last);
  return g_strdup ("utilisateur");
}

/**
 * sesame_login_is_valid:
 * @login: a login
 * @error: return location for a #GError
 *
 * A login is 2 to 80 characters of lower-case ASCII letters and digits,
 * with single dots or hyphens between them.
 *
 * Returns: %TRUE if @login is well-formed
 */
gboolean
sesame_login_is_valid (const char  *login,
                       GError     **error)
{
  gsize len;

  if (login == NULL || *login == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID, _("The login is empty."));
      return FALSE;
    }

  len = strlen (login);
  if (len < 2 || len > LOGIN_MAX)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("A login has 2 to %d characters."), LOGIN_MAX);
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    {
      char c = login[i];

      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        continue;
      if ((c == '.' || c == '-') && i > 0 && i + 1 < len &&
          login[i - 1] != '.' && login[i - 1] != '-')
        continue;
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The login “%s” may only hold lower-case letters without accents, digits, and single dots or hyphens between them."),
                   login);
      return FALSE;
    }
  return TRUE;
}

/**
 * _sesame_login_is_taken:
 * @self: a #SesameStore
 * @login: a login
 * @except_key: (nullable): the directory key of the person the login is
 *   for, who may hold it already
 *
 * Returns: whether someone else holds @login; %TRUE as well when the
 *   store cannot say
 */
gboolean
_sesame_login_is_taken (SesameStore *self,
                        const char  *login,
                        const char  *except_key)
{
  sqlite3_stmt *stmt;
  gboolean taken = FALSE;

  stmt = _sesame_store_prepare (self, "SELECT person_key FROM accounts WHERE login = ?", NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    taken = g_strcmp0 (_sesame_column_text (stmt, 0), except_key) != 0;
  sqlite3_reset (stmt);
  return taken;
}

/* The homonyms of a base login: whether the base itself is taken and the
 * highest number any login "<base><number>" carries. */
static char *
next_login_of (const char *base,
               gboolean    base_taken,
               guint64     highest)
{
  if (!base_taken && highest == 0)
    return g_strdup (base);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT, base, MAX (highest + 1, 2));
}

/* The number a login carries after base, or 0 when it carries none. */
static guint64
homonym_number (const char *suffix)
{
  guint64 n;

  if (g_ascii_isdigit (*suffix) &&
      g_ascii_string_to_unsigned (suffix, 10, 2, G_MAXUINT32, &n, NULL))
    return n;
  return 0;
}

/**
 * _sesame_login_find_free:
 * @self: a #SesameStore
 * @first_name: (nullable): a first name
 * @last_name: (nullable): a last name
 *
 * The login an account of this name gets now: the base login of
 * sesame_login_make(), or for a homonym the base followed by the highest
 * number any homonym carries plus one (2 for the first homonym).
 *
 * Returns: (transfer full): the login
 */
char *
_sesame_login_find_free (SesameStore *self,
                         const char  *first_name,
                         const char  *last_name)
{
  g_autofree char *base = sesame_login_make (first_name, last_name);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  gsize base_len = strlen (base);
  guint64 highest = 0;
  gboolean base_taken = FALSE;

  /* One indexed range scan finds the base login and every numbered
   * homonym: the next one gets the highest suffix plus one. */
  /* A range rather than GLOB: SQLite prepares a GLOB statement again for
   * each new pattern, which cost more than the lookup itself. Logins are
   * ASCII, so every login starting with the base sorts below base + DEL. */
  pattern = g_strconcat (base, "\x7f", NULL);
  stmt = _sesame_store_prepare (self, "SELECT login FROM accounts WHERE login >= ? AND login < ?", NULL);
  if (stmt == NULL)
    return g_strdup_printf ("%s%u", base, g_random_int_range (1000, 9999));
  sqlite3_bind_text (stmt, 1, base, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pattern, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *suffix = _sesame_column_text (stmt, 0) + base_len;

      if (*suffix == '\0')
        base_taken = TRUE;
      else
        highest = MAX (highest, homonym_number (suffix));
    }
  sqlite3_reset (stmt);

  return next_login_of (base, base_taken, highest);
}

typedef struct
{
  guint32  highest;
  gboolean taken;
} LoginBase;

struct _SesameLoginSet
{
  GHashTable   *bases;    /* base login → index + 1 in entries */
  GArray       *entries;  /* LoginBase */
  GStringChunk *strings;
};

static SesameLoginSet *
login_set_new (void)
{
  SesameLoginSet *set = g_new0 (SesameLoginSet, 1);

  set->bases = g_hash_table_new (g_str_hash, g_str_equal);
  set->entries = g_array_new (FALSE, FALSE, sizeof (LoginBase));
  set->strings = g_string_chunk_new (64 * 1024);
  return set;
}

/**
 * _sesame_login_set_free:
 * @set: (nullable): logins read by _sesame_login_set_load()
 *
 * Frees @set.
 */
void
_sesame_login_set_free (SesameLoginSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_unref (set->bases);
  g_array_unref (set->entries);
  g_string_chunk_free (set->strings);
  g_free (set);
}

static LoginBase *
login_base (SesameLoginSet *set,
            const char     *base,
            gsize           length)
{
  g_autofree char *copy = base[length] != '\0' ? g_strndup (base, length) : NULL;
  const char *key = copy != NULL ? copy : base;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (set->bases, key));

  if (index == 0)
    {
      LoginBase entry = { 0, FALSE };

      g_array_append_val (set->entries, entry);
      index = set->entries->len;
      g_hash_table_insert (set->bases, g_string_chunk_insert_len (set->strings, key, length), GUINT_TO_POINTER (index));
    }
  return &g_array_index (set->entries, LoginBase, index - 1);
}

/* A login in use: taken itself, and a homonym of each base that its
 * trailing digits may follow, as _sesame_login_find_free() reads them. */
static void
login_set_add (SesameLoginSet *set,
               const char     *login)
{
  gsize length = strlen (login);
  gsize digits = length;

  login_base (set, login, length)->taken = TRUE;

  while (digits > 0 && g_ascii_isdigit (login[digits - 1]))
    digits--;
  for (gsize split = digits; split < length; split++)
    {
      guint64 n = homonym_number (login + split);

      if (n != 0)
        {
          LoginBase *base = login_base (set, login, split);

          base->highest = MAX (base->highest, (guint32) n);
        }
    }
}

/**
 * _sesame_login_set_load:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Reads every login of the store into memory. A writer that creates many
 * accounts in one transaction then finds each new login with no lookup,
 * by the same rule as one account at a time.
 *
 * Returns: (transfer full): the logins, or %NULL with @error set
 */
SesameLoginSet *
_sesame_login_set_load (SesameStore  *self,
                        GError      **error)
{
  SesameLoginSet *set;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self, "SELECT login FROM accounts", error);
  if (stmt == NULL)
    return NULL;
  set = login_set_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    login_set_add (set, _sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      _sesame_login_set_free (set);
      return NULL;
    }
  return set;
}

/**
 * _sesame_login_set_take:
 * @set: the logins in use
 * @first_name: a first name
 * @last_name: a last name
 *
 * The login an account of this name gets, by the rule of
 * sesame_login_make() and its numbered homonyms, now taken.
 *
 * Returns: (transfer full): the login
 */
char *
_sesame_login_set_take (SesameLoginSet *set,
                        const char     *first_name,
                        const char     *last_name)
{
  g_autofree char *base = sesame_login_make (first_name, last_name);
  gsize length = strlen (base);
  LoginBase *entry = login_base (set, base, length);
  char *login;

  /* Most often the base itself, free and not a number's homonym: taken
   * now, and a homonym of no other base. */
  if (!entry->taken && entry->highest == 0 && length > 0 && !g_ascii_isdigit (base[length - 1]))
    {
      entry->taken = TRUE;
      return g_steal_pointer (&base);
    }

  login = next_login_of (base, entry->taken, entry->highest);
  login_set_add (set, login);
  return login;
}
