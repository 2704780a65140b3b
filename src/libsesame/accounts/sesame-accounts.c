/* sesame-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts and their passwords. A first password is generated for each
 * distributable account and kept in clear only while the account waits for
 * its first sign-in; it is hashed (Argon2id) the moment someone signs in with
 * it and purged. Nothing is hashed at import: hashing costs ~60 ms.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-accounts"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-audit.h"
#include "sesame-notices-private.h"
#include "sesame-person-private.h"

/* No 0 O o 1 l I i: a first password is read off paper and typed on a phone. */
static const char password_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

#define LOGIN_PART_MAX   40
#define LOGIN_MAX        80
#define DEFAULT_PASSWORD_LENGTH 8
#define DEFAULT_EXPIRY_DAYS     60

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

/* Random bytes for first passwords, drawn from libsodium's generator a
 * few kilobytes at a time: an import makes passwords by the hundred
 * thousand, and a call to the system's generator for each one cost more
 * than everything else about the password. Each thread has its own pool;
 * a byte is wiped as soon as it is used, and the pool when its thread
 * ends. Sésame never forks without executing another program, so no two
 * processes share a pool. */
#define RANDOM_POOL_SIZE 4096

typedef struct
{
  gsize  next;
  guint8 bytes[RANDOM_POOL_SIZE];
} RandomPool;

static void
random_pool_free (gpointer data)
{
  sodium_memzero (data, sizeof (RandomPool));
  g_free (data);
}

static GPrivate random_pool_key = G_PRIVATE_INIT (random_pool_free);

static guint8
random_byte (void)
{
  RandomPool *pool = g_private_get (&random_pool_key);
  guint8 byte;

  if (pool == NULL)
    {
      pool = g_new (RandomPool, 1);
      pool->next = RANDOM_POOL_SIZE;
      g_private_set (&random_pool_key, pool);
    }
  if (pool->next == RANDOM_POOL_SIZE)
    {
      randombytes_buf (pool->bytes, RANDOM_POOL_SIZE);
      pool->next = 0;
    }
  byte = pool->bytes[pool->next];
  pool->bytes[pool->next++] = 0;
  return byte;
}

/**
 * sesame_password_generate:
 * @length: how many characters
 *
 * A first password from libsodium's random generator, in an alphabet
 * without look-alikes (no 0 O o 1 l I i).
 *
 * Returns: (transfer full): the password
 */
char *
sesame_password_generate (guint length)
{
  const guint alphabet_size = sizeof password_alphabet - 1;
  /* Bytes at or above this bound are skipped, so that every character of
   * the alphabet is equally likely. */
  const guint bound = 256 - 256 % alphabet_size;
  char *password;
  guint filled = 0;

  g_return_val_if_fail (length > 0 && length <= 64, NULL);

  password = g_malloc (length + 1);
  while (filled < length)
    {
      guint8 byte = random_byte ();

      if (byte < bound)
        password[filled++] = password_alphabet[byte % alphabet_size];
    }
  password[length] = '\0';
  return password;
}

static gboolean
login_taken (SesameStore *self,
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

/* Logins */

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

static char *
unique_login (SesameStore *self,
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
 * trailing digits may follow, as unique_login() reads them. */
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

static gboolean
insert_credential (SesameStore  *self,
                   const char   *person_key,
                   char        **out_password,
                   GError      **error)
{
  g_autofree char *uuid = _sesame_new_id ();
  g_autofree char *password = NULL;
  sqlite3_stmt *stmt;
  int length = sesame_store_settings_get_int (self, SESAME_SETTING_PASSWORD_LENGTH, DEFAULT_PASSWORD_LENGTH);
  int days = sesame_store_settings_get_int (self, SESAME_SETTING_PASSWORD_EXPIRY_DAYS, DEFAULT_EXPIRY_DAYS);
  gint64 now = sesame_store_now (self);

  password = sesame_password_generate (CLAMP (length, 6, 32));

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO credentials (id, person_key, password, created_at, expires_at, created_by) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, password, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, now + (gint64) MAX (days, 1) * 24 * 3600);
  sqlite3_bind_text (stmt, 6, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  if (out_password != NULL)
    *out_password = g_steal_pointer (&password);
  else
    sodium_memzero (password, strlen (password));
  return TRUE;
}

gboolean
_sesame_store_create_account (SesameStore    *self,
                              SesameLoginSet *logins,
                              const char     *person_key,
                              SesameProfile   profile,
                              const char     *first_name,
                              const char     *last_name,
                              const char     *import_id,
                              GError        **error)
{
  g_autofree char *login = NULL;
  sqlite3_stmt *stmt;

  g_assert (SESAME_IS_STORE (self));
  g_assert (person_key != NULL);

  if (logins != NULL)
    login = _sesame_login_set_take (logins, first_name, last_name);
  else
    login = unique_login (self, first_name, last_name);

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO accounts (person_key, login, created_at, created_by_import) "
                                "VALUES (?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  if (import_id != NULL)
    sqlite3_bind_text (stmt, 4, import_id, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  /* Academy staff sign in with their academic credentials: no password. */
  return !sesame_profile_is_distributable (profile) ||
         insert_credential (self, person_key, NULL, error);
}

gboolean
_sesame_store_disable_account (SesameStore  *self,
                               const char   *person_key,
                               GError      **error)
{
  sqlite3_stmt *stmt;

  /* The first password is kept: a disabled account signs in with nothing
   * (every check refuses it), and a person listed again by a later import
   * gets their account back as it was. It expires as it would have. */
  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET disabled_at = ?2 WHERE person_key = ?1 AND disabled_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

gboolean
_sesame_store_enable_account (SesameStore  *self,
                              const char   *person_key,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET disabled_at = NULL WHERE person_key = ? AND disabled_at IS NOT NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

/* The live first password: newest credential not used, revoked, purged or
 * expired. */
gboolean
_sesame_store_live_credential (SesameStore  *self,
                               const char   *person_key,
                               char        **id,
                               char        **password)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT id, password FROM credentials WHERE person_key = ?1 "
                                "AND password IS NOT NULL AND used_at IS NULL AND revoked_at IS NULL "
                                "AND expires_at > ?2 ORDER BY created_at DESC, rowid DESC LIMIT 1",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (id != NULL)
        *id = g_strdup (_sesame_column_text (stmt, 0));
      if (password != NULL)
        *password = g_strdup (_sesame_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return found;
}

char *
_sesame_store_dup_first_password (SesameStore *self,
                                  const char  *person_key)
{
  char *password = NULL;

  if (!_sesame_store_live_credential (self, person_key, NULL, &password))
    return NULL;
  return password;
}

static char **
collect_codes (SesameStore *self,
               const char  *sql,
               const char  *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = _sesame_store_prepare (self, sql, NULL);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, _sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (builder);
}

SesamePerson *
_sesame_store_load_person (SesameStore  *self,
                           const char   *person_key,
                           GError      **error)
{
  g_autoptr(SesamePerson) person = NULL;
  g_auto(GStrv) classes = NULL;
  g_auto(GStrv) groups = NULL;
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (self);

  stmt = _sesame_store_prepare (self,
                                "SELECT p.key, p.kind, p.profile, p.title, p.last_name, p.first_name, p.birth_name,"
                                " p.birth_date, p.ine, p.structure, p.address, p.postal_code, p.city, p.country,"
                                " p.email, p.home_phone, p.work_phone, p.mobile, p.is_head, p.left_at,"
                                " a.login, a.created_at, a.first_sign_in_at, a.last_sign_in_at, a.disabled_at,"
                                " e.uai, e.name, e.academy,"
                                " EXISTS (SELECT 1 FROM credentials c WHERE c.person_key = p.key AND c.used_at IS NOT NULL"
                                "   AND c.used_at > COALESCE (a.password_changed_at, 0)),"
                                " EXISTS (SELECT 1 FROM credentials c WHERE c.person_key = p.key AND c.password IS NOT NULL"
                                "   AND c.used_at IS NULL AND c.revoked_at IS NULL AND c.expires_at > ?2)"
                                " FROM persons p"
                                " LEFT JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " LEFT JOIN establishments e ON e.jointure = CASE WHEN p.structure <> '' THEN p.structure ELSE"
                                "   (SELECT c.structure FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                "    WHERE g.parent_key = p.key AND g.deleted_at IS NULL ORDER BY c.left_at IS NOT NULL LIMIT 1) END"
                                " WHERE p.key = ?1 AND p.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("No person has the directory key “%s”."), person_key);
      return NULL;
    }

  person = sesame_person_new ();
  _sesame_person_set_field (person, SESAME_PERSON_KEY, _sesame_column_text (stmt, 0));
  _sesame_person_set_field (person, SESAME_PERSON_KIND, _sesame_column_text (stmt, 1));
  _sesame_person_set_profile (person, sqlite3_column_int (stmt, 2));
  _sesame_person_set_field (person, SESAME_PERSON_TITLE, _sesame_column_text (stmt, 3));
  _sesame_person_set_field (person, SESAME_PERSON_LAST_NAME, _sesame_column_text (stmt, 4));
  _sesame_person_set_field (person, SESAME_PERSON_FIRST_NAME, _sesame_column_text (stmt, 5));
  _sesame_person_set_field (person, SESAME_PERSON_BIRTH_NAME, _sesame_column_text (stmt, 6));
  _sesame_person_set_field (person, SESAME_PERSON_BIRTH_DATE, _sesame_column_text (stmt, 7));
  _sesame_person_set_field (person, SESAME_PERSON_INE, _sesame_column_text (stmt, 8));
  _sesame_person_set_field (person, SESAME_PERSON_STRUCTURE, _sesame_column_text (stmt, 9));
  _sesame_person_set_field (person, SESAME_PERSON_ADDRESS, _sesame_column_text (stmt, 10));
  _sesame_person_set_field (person, SESAME_PERSON_POSTAL_CODE, _sesame_column_text (stmt, 11));
  _sesame_person_set_field (person, SESAME_PERSON_CITY, _sesame_column_text (stmt, 12));
  _sesame_person_set_field (person, SESAME_PERSON_COUNTRY, _sesame_column_text (stmt, 13));
  _sesame_person_set_field (person, SESAME_PERSON_EMAIL, _sesame_column_text (stmt, 14));
  _sesame_person_set_field (person, SESAME_PERSON_HOME_PHONE, _sesame_column_text (stmt, 15));
  _sesame_person_set_field (person, SESAME_PERSON_WORK_PHONE, _sesame_column_text (stmt, 16));
  _sesame_person_set_field (person, SESAME_PERSON_MOBILE, _sesame_column_text (stmt, 17));
  _sesame_person_set_has_left (person, sqlite3_column_type (stmt, 19) != SQLITE_NULL);
  _sesame_person_set_field (person, SESAME_PERSON_LOGIN, _sesame_column_text (stmt, 20));
  _sesame_person_set_times (person,
                           sqlite3_column_int64 (stmt, 21),
                           sqlite3_column_int64 (stmt, 22),
                           sqlite3_column_int64 (stmt, 23));
  if (sqlite3_column_type (stmt, 24) != SQLITE_NULL || sqlite3_column_type (stmt, 19) != SQLITE_NULL)
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_DISABLED);
  else if (sqlite3_column_type (stmt, 22) != SQLITE_NULL)
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_ACTIVE);
  else
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_PENDING);
  _sesame_person_set_field (person, SESAME_PERSON_ESTABLISHMENT, _sesame_column_text (stmt, 25));
  _sesame_person_set_field (person, SESAME_PERSON_ESTABLISHMENT_NAME, _sesame_column_text (stmt, 26));
  _sesame_person_set_field (person, SESAME_PERSON_ACADEMY, _sesame_column_text (stmt, 27));
  /* Signed in with a first password and not changed it yet, or holding a
   * regenerated password: either way a change is due at the next sign-in. */
  _sesame_person_set_must_change_password (person,
                                          sqlite3_column_int (stmt, 28) != 0 ||
                                          (sqlite3_column_int (stmt, 29) != 0 &&
                                           sqlite3_column_type (stmt, 22) != SQLITE_NULL));
  sqlite3_reset (stmt);

  if (sesame_profile_is_distributable (sesame_person_get_profile (person)))
    {
      classes = collect_codes (self,
                               "SELECT DISTINCT code FROM memberships WHERE person_key = ? AND kind = 'class' "
                               "AND deleted_at IS NULL ORDER BY code",
                               person_key);
      groups = collect_codes (self,
                              "SELECT DISTINCT code FROM memberships WHERE person_key = ? AND kind = 'group' "
                              "AND deleted_at IS NULL ORDER BY code",
                              person_key);
      /* A parent's classes are their children's. */
      if (sesame_person_get_profile (person) == SESAME_PROFILE_PARENT)
        {
          g_strfreev (classes);
          classes = collect_codes (self,
                                   "SELECT DISTINCT m.code FROM guardians g JOIN memberships m"
                                   " ON m.person_key = g.pupil_key AND m.kind = 'class' AND m.deleted_at IS NULL"
                                   " WHERE g.parent_key = ? AND g.deleted_at IS NULL ORDER BY m.code",
                                   person_key);
        }
    }
  else
    {
      classes = collect_codes (self,
                               "SELECT DISTINCT code FROM teachings WHERE person_key = ? AND kind IN ('class', 'principal') "
                               "AND deleted_at IS NULL ORDER BY code",
                               person_key);
      groups = collect_codes (self,
                              "SELECT DISTINCT code FROM teachings WHERE person_key = ? AND kind = 'group' "
                              "AND deleted_at IS NULL ORDER BY code",
                              person_key);
    }
  _sesame_person_set_classes (person, (const char * const *) classes);
  _sesame_person_set_groups (person, (const char * const *) groups);

  return g_steal_pointer (&person);
}

/* What an operator who does not reach the whole store sees of a person:
 * a parent's classes are those of their children within reach. */
static SesamePerson *
load_within_reach (SesameStore  *self,
                   const char   *key,
                   GError      **error)
{
  g_autoptr(SesamePerson) person = _sesame_store_load_person (self, key, error);
  g_autoptr(GStrvBuilder) classes = NULL;
  g_auto(GStrv) children = NULL;
  g_auto(GStrv) kept = NULL;

  if (person == NULL || sesame_person_get_profile (person) != SESAME_PROFILE_PARENT ||
      sesame_store_operator_administers_all (self))
    return g_steal_pointer (&person);

  classes = g_strv_builder_new ();
  children = collect_codes (self,
                            "SELECT g.pupil_key FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                            " WHERE g.parent_key = ? AND g.deleted_at IS NULL AND c.deleted_at IS NULL",
                            key);
  for (guint i = 0; children[i] != NULL; i++)
    {
      g_auto(GStrv) codes = NULL;

      if (!_sesame_store_in_scope (self, children[i]))
        continue;
      codes = collect_codes (self,
                             "SELECT DISTINCT code FROM memberships WHERE person_key = ? AND kind = 'class'"
                             " AND deleted_at IS NULL ORDER BY code",
                             children[i]);
      for (guint j = 0; codes[j] != NULL; j++)
        g_strv_builder_add (classes, codes[j]);
    }
  kept = g_strv_builder_end (classes);
  _sesame_person_set_classes (person, (const char * const *) kept);
  return g_steal_pointer (&person);
}

static char *
key_for_login (SesameStore  *self,
               const char   *login,
               GError      **error)
{
  sqlite3_stmt *stmt;
  char *key = NULL;

  if (login == NULL || *login == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID, _("No login was given."));
      return NULL;
    }

  stmt = _sesame_store_prepare (self,
                                "SELECT a.person_key FROM accounts a JOIN persons p ON p.key = a.person_key "
                                "WHERE a.login = ? AND a.deleted_at IS NULL AND p.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (key == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("No account has the login “%s”."), login);
  return key;
}

/**
 * sesame_accounts_find:
 * @self: a #SesameStore
 * @login: a login
 * @error: return location for a #GError
 *
 * Finds an account for an administrator or an identifier manager within
 * their scope.
 *
 * Returns: (transfer full): the person, or %NULL with @error set
 */
SesamePerson *
sesame_accounts_find (SesameStore  *self,
                      const char   *login,
                      GError      **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, NULL, error))
    return NULL;
  key = key_for_login (self, login, error);
  if (key == NULL)
    return NULL;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;
  return load_within_reach (self, key, error);
}

/**
 * sesame_accounts_find_person:
 * @self: a #SesameStore
 * @key: a directory key, with or without the academy prefix
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the person, or %NULL with @error set
 */
SesamePerson *
sesame_accounts_find_person (SesameStore  *self,
                             const char   *key,
                             GError      **error)
{
  const char *dollar;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  /* "AC-GRENOBLE$2605692" names the same person as "2605692". */
  if ((dollar = strrchr (key, '$')) != NULL)
    key = dollar + 1;

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, NULL, error))
    return NULL;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;
  return load_within_reach (self, key, error);
}

/**
 * sesame_accounts_list_relatives:
 * @self: a #SesameStore
 * @key: the directory key of a pupil or a parent
 * @error: return location for a #GError
 *
 * Relatives outside the operator's reach are given by name and profile
 * only: their key, login, classes and establishment are left empty.
 *
 * Returns: (transfer full): a #GListModel of #SesamePerson: a pupil's
 *   guardians, or a parent's children
 */
GListModel *
sesame_accounts_list_relatives (SesameStore  *self,
                                const char   *key,
                                GError      **error)
{
  g_autoptr(GListStore) relatives = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;

  keys = collect_codes (self,
                        "SELECT g.parent_key FROM guardians g JOIN persons p ON p.key = g.parent_key"
                        " WHERE g.pupil_key = ?1 AND g.deleted_at IS NULL AND p.deleted_at IS NULL"
                        " UNION SELECT g.pupil_key FROM guardians g JOIN persons p ON p.key = g.pupil_key"
                        " WHERE g.parent_key = ?1 AND g.deleted_at IS NULL AND p.deleted_at IS NULL",
                        key);

  relatives = g_list_store_new (SESAME_TYPE_PERSON);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(SesamePerson) person = _sesame_store_load_person (self, keys[i], NULL);

      if (person == NULL)
        continue;
      /* A relative outside the operator's reach (a parent's other child in
       * another establishment or class) is named, nothing more: no login,
       * key, class or establishment. */
      if (!_sesame_store_in_scope (self, keys[i]))
        {
          g_autoptr(SesamePerson) name_only = sesame_person_new ();

          _sesame_person_set_profile (name_only, sesame_person_get_profile (person));
          _sesame_person_set_state (name_only, sesame_person_get_state (person));
          _sesame_person_set_field (name_only, SESAME_PERSON_KIND,
                                   sesame_person_get_field (person, SESAME_PERSON_KIND));
          _sesame_person_set_field (name_only, SESAME_PERSON_TITLE,
                                   sesame_person_get_field (person, SESAME_PERSON_TITLE));
          _sesame_person_set_field (name_only, SESAME_PERSON_FIRST_NAME, sesame_person_get_first_name (person));
          _sesame_person_set_field (name_only, SESAME_PERSON_LAST_NAME, sesame_person_get_last_name (person));
          g_list_store_append (relatives, name_only);
          continue;
        }
      g_list_store_append (relatives, person);
    }
  return G_LIST_MODEL (g_steal_pointer (&relatives));
}

static gboolean
refuse_academy_staff (SesamePerson  *person,
                      GError       **error)
{
  if (sesame_person_is_distributable (person))
    return FALSE;
  g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
               _("%s is academy staff: their credentials come from the academy and are never handed out by Sésame."),
               sesame_person_get_login (person));
  return TRUE;
}

/**
 * sesame_accounts_check_new_login:
 * @self: a #SesameStore
 * @person_key: (nullable): the person the login is for
 * @new_login: the login to check
 * @error: return location for a #GError
 *
 * Checks a login as it is typed: well-formed and not held by anyone else.
 *
 * Returns: %TRUE if @new_login may be given to the person
 */
gboolean
sesame_accounts_check_new_login (SesameStore  *self,
                                 const char   *person_key,
                                 const char   *new_login,
                                 GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_login_is_valid (new_login, error))
    return FALSE;
  if (login_taken (self, new_login, person_key))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The login “%s” is already taken."), new_login);
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_accounts_set_login:
 * @self: a #SesameStore
 * @login: the current login
 * @new_login: the new login
 * @error: return location for a #GError
 *
 * Changes a login; the old one stops working at once.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_accounts_set_login (SesameStore  *self,
                           const char   *login,
                           const char   *new_login,
                           GError      **error)
{
  g_autofree char *key = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(SesamePerson) person = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_CHANGE_LOGIN, NULL, error))
    return FALSE;
  key = key_for_login (self, login, error);
  if (key == NULL)
    return FALSE;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_CHANGE_LOGIN, key, error))
    return FALSE;
  person = _sesame_store_load_person (self, key, error);
  if (person == NULL || refuse_academy_staff (person, error))
    return FALSE;
  if (g_strcmp0 (login, new_login) == 0)
    return TRUE;
  if (!sesame_accounts_check_new_login (self, key, new_login, error))
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET login = ?2, login_changed_at = ?3 WHERE person_key = ?1",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, new_login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  detail = g_strconcat (login, SESAME_AUDIT_LOGIN_CHANGE, new_login, NULL);
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;

  /* The person stays findable by the login they had: people at the desk
   * quote what is written on their old slip. */
  stmt = _sesame_store_prepare (self,
                                "INSERT OR IGNORE INTO former_logins (person_key, login, replaced_at)"
                                " VALUES (?1, ?2, ?3)",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_store_audit (self, "set-login", new_login, detail, error))
    goto fail;
  return _sesame_store_commit (self, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

static char *reset_password (SesameStore  *self,
                             const char   *login,
                             const char   *detail,
                             GError      **error);

/**
 * sesame_accounts_reset_password:
 * @self: a #SesameStore
 * @login: the account's login
 * @error: return location for a #GError
 *
 * Regenerates a first password: the previous one and any chosen password
 * stop working, and the person must choose a new password at the next
 * sign-in. The operator's history records it, without the password.
 *
 * Returns: (transfer full): the new password, to be shown once, or %NULL
 *   with @error set
 */
char *
sesame_accounts_reset_password (SesameStore  *self,
                                const char   *login,
                                GError      **error)
{
  return reset_password (self, login, NULL, error);
}

/**
 * sesame_accounts_reset_password_checked:
 * @self: a #SesameStore
 * @login: the account's login
 * @identity_checked: whether the operator checked the person's identity
 *   before regenerating
 * @error: return location for a #GError
 *
 * Like sesame_accounts_reset_password(), for the desk: the audit trail also
 * says whether the operator checked the identity of the person.
 *
 * Returns: (transfer full): the new password, to be shown once, or %NULL
 *   with @error set
 */
char *
sesame_accounts_reset_password_checked (SesameStore  *self,
                                        const char   *login,
                                        gboolean      identity_checked,
                                        GError      **error)
{
  return reset_password (self, login,
                         identity_checked ? SESAME_AUDIT_IDENTITY_CHECKED : SESAME_AUDIT_IDENTITY_NOT_CHECKED,
                         error);
}

/**
 * sesame_accounts_record_login_shown:
 * @self: a #SesameStore
 * @login: the account's login
 * @identity_checked: whether the operator checked the person's identity
 *   before showing it
 * @error: return location for a #GError
 *
 * Records in the audit trail that the operator showed a login at the
 * desk, and whether they checked the identity of the person first.
 *
 * Returns: %TRUE if recorded
 */
gboolean
sesame_accounts_record_login_shown (SesameStore  *self,
                                    const char   *login,
                                    gboolean      identity_checked,
                                    GError      **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, NULL, error))
    return FALSE;
  key = key_for_login (self, login, error);
  if (key == NULL ||
      !sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return FALSE;
  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!_sesame_store_audit (self, "show-login", login,
                            identity_checked ? SESAME_AUDIT_IDENTITY_CHECKED : SESAME_AUDIT_IDENTITY_NOT_CHECKED,
                            error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

/**
 * sesame_accounts_list_subjects_taught:
 * @self: a #SesameStore
 * @key: a staff member's directory key
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the subjects the person teaches, as the
 *   directory names them, sorted; empty for anyone else; %NULL with
 *   @error set when the operator may not see the person
 */
char **
sesame_accounts_list_subjects_taught (SesameStore  *self,
                                      const char   *key,
                                      GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;
  return collect_codes (self,
                        "SELECT label FROM staff_subjects WHERE person_key = ?1 AND deleted_at IS NULL AND label <> ''"
                        " UNION SELECT discipline_label FROM functions"
                        " WHERE person_key = ?1 AND deleted_at IS NULL AND discipline_label <> ''"
                        " ORDER BY 1",
                        key);
}

static char *
reset_password (SesameStore  *self,
                const char   *login,
                const char   *detail,
                GError      **error)
{
  g_autofree char *key = NULL;
  g_autoptr(SesamePerson) person = NULL;
  g_autofree char *password = NULL;
  sqlite3_stmt *stmt;
  gint64 now;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_RESET_PASSWORD, NULL, error))
    return NULL;
  key = key_for_login (self, login, error);
  if (key == NULL)
    return NULL;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_RESET_PASSWORD, key, error))
    return NULL;
  person = _sesame_store_load_person (self, key, error);
  if (person == NULL || refuse_academy_staff (person, error))
    return NULL;
  if (sesame_person_get_state (person) == SESAME_ACCOUNT_STATE_DISABLED)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The account %s is disabled: the person has left the establishment."), login);
      return NULL;
    }

  now = sesame_store_now (self);
  if (!_sesame_store_begin (self, error))
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "UPDATE credentials SET password = NULL, revoked_at = ?2, purged_at = ?2 "
                                "WHERE person_key = ?1 AND revoked_at IS NULL AND used_at IS NULL",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (self, "UPDATE accounts SET password_hash = NULL WHERE person_key = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error) ||
      !insert_credential (self, key, &password, error) ||
      !_sesame_store_audit (self, "reset-password", login, detail, error))
    goto fail;

  if (!_sesame_store_commit (self, error))
    return NULL;
  /* The operator's copy by email: it never stands in the way. */
  {
    g_autoptr(GError) notice_error = NULL;

    if (!_sesame_store_queue_notice (self, login, &notice_error))
      g_message ("The notice of the regenerated password of %s was not recorded: %s", login, notice_error->message);
  }
  return g_steal_pointer (&password);

fail:
  _sesame_store_rollback (self);
  return NULL;
}

gboolean
_sesame_store_index_person (SesameStore  *self,
                            const char   *person_key,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "DELETE FROM persons_fts WHERE rowid = (SELECT rowid FROM persons WHERE key = ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO persons_fts (rowid, first_name, last_name, other_names)"
                                " SELECT rowid, first_name, last_name, birth_name FROM persons WHERE key = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}
