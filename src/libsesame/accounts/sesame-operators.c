/* sesame-operators.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Operators — administrators and identifier managers — prove who they are
 * with a passphrase of their own before the core lets them act. A store of
 * first passwords for hundreds of minors is often used from a shared office
 * session, so naming a login is never enough.
 *
 * The person who sets up a store chooses their passphrase at once; everyone
 * else sets theirs with a one-time enrolment code that an administrator
 * hands them (sesame-enrolment.c). Passphrases are hashed with Argon2id and
 * never stored, logged or audited in clear. Wrong passphrases and wrong
 * codes are throttled per login, from rows kept in the store, and every
 * refusal costs the same whether the login exists or not.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-operators"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-credentials-private.h"
#include "sesame-operators-private.h"
#include "sesame-roles.h"

/* Argon2id, 3 passes over 64 MiB, one lane. A passphrase guards the whole
 * store, so it gets more than the interactive minimum (2 passes) that the
 * pupils' own passwords use and more than OWASP's floor (19 MiB, 2 passes),
 * while a sign-in on an old office desktop stays near a tenth of a second
 * (110 ms measured on a loaded 2-core machine) and several desks signing in
 * at once do not exhaust the memory of a 4 GB computer. crypto_pwhash_str()
 * writes the parameters into the hash: when they change, a hash made with
 * the old ones is redone at the next sign-in. */
#define PASSPHRASE_OPSLIMIT 3
#define PASSPHRASE_MEMLIMIT (64 * 1024 * 1024)

/* Checked when the login is unknown or has no passphrase, so that every
 * refusal does the same work as a real check: a valid hash with exactly the
 * parameters above, of a random passphrase nobody knows. */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
  "$argon2id$v=19$m=65536,t=3,p=1$Bwymo+sovD5oN0875iVamg$bBwD/PSLh25AXcrBJISyp9EmNeWFw4LoaPiHGCXJKxo";

#define PASSPHRASE_MAX_LENGTH 512

/* The delay after SESAME_SIGN_IN_FREE_FAILURES wrong attempts, doubled at
 * each further one up to an hour; failures older than a day are forgotten. */
#define THROTTLE_FIRST_DELAY 30
#define THROTTLE_MAX_DELAY 3600
#define THROTTLE_WINDOW (24 * 3600)

G_DEFINE_BOXED_TYPE (SesameOperatorInfo, sesame_operator_info,
                     sesame_operator_info_copy, sesame_operator_info_free)

/**
 * sesame_operator_info_copy:
 * @info: a #SesameOperatorInfo
 *
 * Copies a line of the table of operators with its strings.
 *
 * Returns: (transfer full): a copy of @info, freed with
 *   sesame_operator_info_free()
 */
SesameOperatorInfo *
sesame_operator_info_copy (const SesameOperatorInfo *info)
{
  SesameOperatorInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->login = g_strdup (info->login);
  copy->key = g_strdup (info->key);
  copy->name = g_strdup (info->name);
  copy->role = g_strdup (info->role);
  return copy;
}

/**
 * sesame_operator_info_free:
 * @info: (nullable) (transfer full): a #SesameOperatorInfo
 *
 * Frees @info and its strings. %NULL is ignored.
 */
void
sesame_operator_info_free (SesameOperatorInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->login);
  g_free (info->key);
  g_free (info->name);
  g_free (info->role);
  g_free (info);
}

void
_sesame_operator_row_clear (SesameOperatorRow *row)
{
  g_clear_pointer (&row->key, g_free);
  g_clear_pointer (&row->login, g_free);
  g_clear_pointer (&row->name, g_free);
  if (row->hash != NULL)
    sodium_memzero (row->hash, strlen (row->hash));
  g_clear_pointer (&row->hash, g_free);
}


/* Logins are lower-case ASCII; what is typed may carry spaces or capitals. */
char *
_sesame_operators_normalize_login (const char *login)
{
  g_autofree char *copy = g_strdup (login != NULL ? login : "");

  return g_utf8_strdown (g_strstrip (copy), -1);
}

/* The login the throttle counts under. A login the store does not know is
 * kept only as a hash: someone who typed their passphrase in the login field
 * must not find it in the store. Known or not, the throttle is the same. */
char *
_sesame_operators_dup_attempt_login (const char  *normalized,
                   SesameOperatorRow *row)
{
  guint8 hash[16];
  char hex[sizeof hash * 2 + 1];

  if (row->key != NULL)
    return g_strdup (row->login);
  crypto_generichash (hash, sizeof hash, (const guint8 *) normalized, strlen (normalized), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strconcat ("#", hex, NULL);
}

gboolean
_sesame_operators_load_row (SesameStore  *self,
                   const char   *login,
                   SesameOperatorRow  *row,
                   GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = _sesame_store_prepare (self,
                                "SELECT a.person_key, a.login, p.first_name, p.last_name, p.profile,"
                                " p.left_at IS NOT NULL,"
                                " (SELECT o.hash FROM operator_passphrases o WHERE o.person_key = a.person_key"
                                "  ORDER BY o.set_at DESC, o.rowid DESC LIMIT 1)"
                                " FROM accounts a JOIN persons p ON p.key = a.person_key"
                                " WHERE a.login = ? AND a.deleted_at IS NULL AND p.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autofree char *last = g_utf8_strup (_sesame_column_text (stmt, 3), -1);

      found = TRUE;
      row->key = g_strdup (_sesame_column_text (stmt, 0));
      row->login = g_strdup (_sesame_column_text (stmt, 1));
      row->name = g_strdup_printf ("%s %s", _sesame_column_text (stmt, 2), last);
      row->profile = sqlite3_column_int (stmt, 4);
      row->left = sqlite3_column_int (stmt, 5) != 0;
      row->hash = sqlite3_column_type (stmt, 6) != SQLITE_NULL ? g_strdup (_sesame_column_text (stmt, 6)) : NULL;
    }
  else if (rc != SQLITE_DONE)
    _sesame_store_set_error (self, error);
  sqlite3_reset (stmt);
  return found;
}

/* The member of staff behind a login, who may become an operator. */
gboolean
_sesame_operators_load_staff (SesameStore  *self,
            const char   *login,
            SesameOperatorRow  *row,
            GError      **error)
{
  GError *local_error = NULL;

  if (!_sesame_operators_load_row (self, login, row, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                     _("No account has the login “%s”. Check its spelling with “sesamectl search”."), login);
      return FALSE;
    }
  if (row->profile == SESAME_PROFILE_ELEVE || row->profile == SESAME_PROFILE_PARENT)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s is not a member of staff: pupils and parents are never operators."), login);
      return FALSE;
    }
  if (row->left)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s has left the establishment and can no longer be an operator."), login);
      return FALSE;
    }
  return TRUE;
}

char *
_sesame_operators_hash_passphrase (const char  *passphrase,
                 GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, passphrase, strlen (passphrase),
                         PASSPHRASE_OPSLIMIT, PASSPHRASE_MEMLIMIT) != 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                           _("Not enough memory to protect the passphrase: close other programs and try again."));
      return NULL;
    }
  return g_strdup (hash);
}

/* Whether the passphrase is the person's own ENT password: a first
 * password they signed in with is kept hashed there. */
static gboolean
is_own_account_password (SesameStore *self,
                         const char  *key,
                         const char  *passphrase)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gboolean same = FALSE;

  stmt = _sesame_store_prepare (self, "SELECT password_hash FROM accounts WHERE person_key = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    hash = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (hash != NULL)
    same = crypto_pwhash_str_verify (hash, passphrase, strlen (passphrase)) == 0;
  return same;
}

gboolean
_sesame_operators_check_policy (SesameStore  *self,
              const char   *login,
              const char   *key,
              const char   *passphrase,
              GError      **error)
{
  g_autofree char *folded_login = NULL;
  g_autofree char *folded = NULL;
  gboolean contains_login;
  glong length;

  if (passphrase == NULL || !g_utf8_validate (passphrase, -1, NULL))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The passphrase is not valid text: type it again."));
      return FALSE;
    }
  length = g_utf8_strlen (passphrase, -1);
  if (length < SESAME_OPERATOR_PASSPHRASE_MIN_LENGTH)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The passphrase has %ld character: choose one of at least %d, for example a few words you will remember.",
                                "The passphrase has %ld characters: choose one of at least %d, for example a few words you will remember.",
                                length),
                   length, SESAME_OPERATOR_PASSPHRASE_MIN_LENGTH);
      return FALSE;
    }
  if (length > PASSPHRASE_MAX_LENGTH)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The passphrase is longer than %d characters: choose a shorter one."),
                   PASSPHRASE_MAX_LENGTH);
      return FALSE;
    }
  folded_login = g_utf8_casefold (login, -1);
  folded = g_utf8_casefold (passphrase, -1);
  contains_login = *folded_login != '\0' && strstr (folded, folded_login) != NULL;
  sodium_memzero (folded, strlen (folded));
  if (contains_login)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The passphrase must not contain your login: choose one that others cannot guess."));
      return FALSE;
    }
  if (_sesame_credentials_is_live_password (self, passphrase) ||
      (key != NULL && is_own_account_password (self, key, passphrase)))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This passphrase is a first password handed out by Sésame: choose one of your own."));
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_operators_check_passphrase:
 * @self: a #SesameStore
 * @login: the login of the operator choosing it
 * @passphrase: the passphrase they chose
 * @error: return location for a #GError
 *
 * Checks a new operator passphrase against the policy before the interface
 * sends it: at least %SESAME_OPERATOR_PASSPHRASE_MIN_LENGTH characters, not
 * containing the login, not a first password (the person's own, or any first
 * password still waiting to be used). Setting a passphrase checks it again.
 *
 * Returns: %TRUE if acceptable, or %FALSE with a %SESAME_ERROR_REFUSED error
 *   that says what to choose instead
 */
gboolean
sesame_operators_check_passphrase (SesameStore  *self,
                                   const char   *login,
                                   const char   *passphrase,
                                   GError      **error)
{
  g_auto(SesameOperatorRow) row = { 0 };
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  normalized = _sesame_operators_normalize_login (login);
  _sesame_operators_load_row (self, normalized, &row, NULL);
  return _sesame_operators_check_policy (self, normalized, row.key, passphrase, error);
}

/* Consecutive failures of a login within the last day, and the latest. */
static guint
count_failures (SesameStore *self,
                const char  *login,
                gint64       now,
                gint64      *last_failure_at)
{
  sqlite3_stmt *stmt;
  guint failures = 0;

  *last_failure_at = 0;
  stmt = _sesame_store_prepare (self,
                                "SELECT at, succeeded FROM operator_sign_ins WHERE login = ? AND at > ?"
                                " ORDER BY at DESC, rowid DESC LIMIT 64",
                                NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now - THROTTLE_WINDOW);
  while (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 1) == 0)
    {
      if (failures++ == 0)
        *last_failure_at = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_reset (stmt);
  return failures;
}

gint64
_sesame_operators_sign_in_wait (SesameStore *self,
              const char  *login)
{
  gint64 now = sesame_store_now (self);
  gint64 last_failure_at, delay;
  guint failures;

  failures = count_failures (self, login, now, &last_failure_at);
  if (failures < SESAME_SIGN_IN_FREE_FAILURES)
    return 0;
  delay = (gint64) THROTTLE_FIRST_DELAY << MIN (failures - SESAME_SIGN_IN_FREE_FAILURES, 7);
  delay = MIN (delay, THROTTLE_MAX_DELAY);
  return MAX (0, last_failure_at + delay - now);
}

/**
 * sesame_operators_get_sign_in_wait:
 * @self: a #SesameStore
 * @login: a login as typed
 *
 * After %SESAME_SIGN_IN_FREE_FAILURES wrong passphrases or enrolment codes
 * for a login, each further attempt must wait: 30 seconds, then twice as
 * long after each failure, up to an hour. Known and unknown logins are
 * throttled alike, so that the delay tells nothing.
 *
 * Returns: the seconds to wait before the next attempt, 0 if none
 */
gint64
sesame_operators_get_sign_in_wait (SesameStore *self,
                                   const char  *login)
{
  g_auto(SesameOperatorRow) row = { 0 };
  g_autofree char *normalized = NULL;
  g_autofree char *attempt_login = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), 0);

  normalized = _sesame_operators_normalize_login (login);
  _sesame_operators_load_row (self, normalized, &row, NULL);
  attempt_login = _sesame_operators_dup_attempt_login (normalized, &row);
  return _sesame_operators_sign_in_wait (self, attempt_login);
}

gboolean
_sesame_operators_record_attempt (SesameStore  *self,
                const char   *login,
                const char   *key,
                const char   *kind,
                gboolean      succeeded,
                GError      **error)
{
  g_autofree char *id = _sesame_new_id ();
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO operator_sign_ins (id, login, person_key, at, kind, succeeded)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
  if (key != NULL)
    sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sesame_store_now (self));
  sqlite3_bind_text (stmt, 5, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, succeeded ? 1 : 0);
  return _sesame_store_step_done (self, stmt, error);
}

/* A refusal: recorded for the throttle (when it counts) and in the audit
 * trail, with the reason but never what was typed as a secret. */
void
_sesame_operators_record_refusal (SesameStore *self,
                const char  *attempt_login,
                SesameOperatorRow *row,
                const char  *kind,
                gboolean     counts,
                const char  *action,
                const char  *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) recorder = NULL;
  /* An unknown login is audited without what was typed. */
  const char *target = row->key != NULL ? row->login : "";
  const char *login = attempt_login;

  /* A refusal is recorded even on a store opened to read, waiting for a
   * writer if need be: the throttle must count every wrong attempt. */
  if (sesame_store_is_read_only (self))
    {
      recorder = _sesame_store_open_recorder (self, TRUE, &error);
      if (recorder == NULL)
        goto fail;
      self = recorder;
    }

  if (!_sesame_store_begin (self, &error))
    goto fail;
  if ((counts && !_sesame_operators_record_attempt (self, attempt_login, row->key, kind, FALSE, &error)) ||
      !_sesame_store_audit (self, action, target, reason, &error))
    {
      _sesame_store_rollback (self);
      goto fail;
    }
  if (_sesame_store_commit (self, &error))
    return;

fail:
  g_warning ("Cannot record a refused sign-in of %s: %s", login, error->message);
}

void
_sesame_operators_set_throttled_error (const char  *login,
                     gint64       wait,
                     GError     **error)
{
  gint64 minutes = (wait + 59) / 60;

  if (wait < 60)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Too many wrong attempts for “%s”: wait %d second before trying again.",
                              "Too many wrong attempts for “%s”: wait %d seconds before trying again.",
                              (gulong) wait),
                 login, (int) wait);
  else
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Too many wrong attempts for “%s”: wait %d minute before trying again.",
                              "Too many wrong attempts for “%s”: wait %d minutes before trying again.",
                              (gulong) minutes),
                 login, (int) minutes);
}

gboolean
_sesame_operators_insert_passphrase (SesameStore  *self,
                   const char   *key,
                   const char   *hash,
                   const char   *via,
                   GError      **error)
{
  g_autofree char *id = _sesame_new_id ();
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO operator_passphrases (id, person_key, hash, set_at, set_by, via)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sesame_store_now (self));
  sqlite3_bind_text (stmt, 5, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, via, -1, SQLITE_STATIC);
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * sesame_operators_exist:
 * @self: a #SesameStore
 *
 * Whether someone can sign in to the store: once one operator has set a
 * passphrase, the store is set up and sesame_operators_set_up() is
 * refused.
 *
 * Returns: %TRUE if an operator has a passphrase
 */
gboolean
sesame_operators_exist (SesameStore *self)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  stmt = _sesame_store_prepare (self, "SELECT 1 FROM operator_passphrases LIMIT 1", NULL);
  if (stmt != NULL)
    {
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
    }
  return found;
}

/**
 * sesame_operators_dup_logins:
 * @self: a #SesameStore
 *
 * The logins that can sign in, for the completion of a sign-in page:
 * members of staff with a passphrase who are still in post.
 *
 * Returns: (transfer full): the logins, sorted
 */
char **
sesame_operators_dup_logins (SesameStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  stmt = _sesame_store_prepare (self,
                                "SELECT DISTINCT a.login FROM operator_passphrases o"
                                " JOIN accounts a ON a.person_key = o.person_key AND a.deleted_at IS NULL"
                                " JOIN persons p ON p.key = o.person_key AND p.deleted_at IS NULL AND p.left_at IS NULL"
                                " ORDER BY a.login",
                                NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, _sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (builder);
}

/**
 * sesame_operators_set_up:
 * @self: a #SesameStore
 * @login: the login of the member of staff setting up the store
 * @passphrase: the operator passphrase they chose
 * @error: return location for a #GError
 *
 * Whoever sets up the store becomes its first administrator, of every
 * establishment in it, and chooses their passphrase at once. Only the
 * owner of the store file may do it, and only while nobody can sign in yet
 * (sesame_operators_exist()). On success they are signed in.
 *
 * It fails with %SESAME_ERROR_PERMISSION_DENIED when the caller does not
 * own the store file, %SESAME_ERROR_REFUSED when operators already exist or
 * the passphrase breaks the policy, or with the store's
 * (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED) errors; nothing is written
 * then.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_operators_set_up (SesameStore  *self,
                         const char   *login,
                         const char   *passphrase,
                         GError      **error)
{
  g_auto(SesameOperatorRow) row = { 0 };
  g_autofree char *normalized = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *role_id = _sesame_new_id ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (sesame_store_operator_get_key (self) != NULL)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           _("Only the owner of the store can set it up."));
      return FALSE;
    }
  if (sesame_operators_exist (self))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This store is already set up: sign in, or ask one of its administrators for an enrolment code."));
      return FALSE;
    }

  normalized = _sesame_operators_normalize_login (login);
  if (!_sesame_operators_load_staff (self, normalized, &row, error) ||
      !_sesame_operators_check_policy (self, row.login, row.key, passphrase, error))
    return FALSE;
  hash = _sesame_operators_hash_passphrase (passphrase, error);
  if (hash == NULL)
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  stmt = _sesame_store_prepare (self,
                                "INSERT INTO role_events (id, person_key, role, scope, granted, operator, at) "
                                "VALUES (?, ?, 'admin', 'all', 1, ?, ?)",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, role_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row.key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sesame_store_now (self));
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_operators_insert_passphrase (self, row.key, hash, "setup", error) ||
      !_sesame_operators_record_attempt (self, row.login, row.key, "setup", TRUE, error) ||
      !_sesame_store_audit (self, "operator-setup", row.login, NULL, error))
    goto fail;
  if (!_sesame_store_commit (self, error))
    return FALSE;

  return _sesame_store_set_operator_trusted (self, row.login, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

/* A sign-in on a store opened to read is recorded through a connection of
 * its own, only when nothing else is writing: a reading command never waits
 * behind an import, and a sign-in missing from "last signed in" then is a
 * lesser harm than a search that does not answer. */
static void
record_read_sign_in (SesameStore       *self,
                     SesameOperatorRow *row)
{
  g_autoptr(SesameStore) recorder = NULL;
  g_autoptr(GError) error = NULL;

  recorder = _sesame_store_open_recorder (self, FALSE, &error);
  if (recorder == NULL)
    goto skip;
  if (!_sesame_store_begin (recorder, &error))
    goto skip;
  if (!_sesame_operators_record_attempt (recorder, row->login, row->key, "passphrase", TRUE, &error) ||
      !_sesame_store_audit (recorder, "operator-sign-in", row->login, NULL, &error))
    {
      _sesame_store_rollback (recorder);
      goto skip;
    }
  if (_sesame_store_commit (recorder, &error))
    return;

skip:
  g_debug ("The sign-in of %s was not recorded: %s", row->login, error ? error->message : "");
}

/**
 * sesame_operators_sign_in:
 * @self: a #SesameStore
 * @login: the login typed
 * @passphrase: the operator passphrase typed
 * @error: return location for a #GError
 *
 * The only way for an interface to act as an operator: checks the
 * passphrase and, if right, makes @login the acting operator, whose
 * permissions every later operation checks and whom the audit trail names.
 *
 * Every refusal costs one Argon2id verification, against a dummy hash when
 * the login is unknown or has no passphrase, so that the time to answer does
 * not tell which logins exist. Wrong passphrases are recorded in the audit
 * trail and, after %SESAME_SIGN_IN_FREE_FAILURES of them, throttled
 * (sesame_operators_get_sign_in_wait()). A right passphrase of someone who no
 * longer holds any role is refused too. On refusal the acting operator does
 * not change.
 *
 * Returns: %TRUE if signed in, or %FALSE with a
 *   %SESAME_ERROR_PERMISSION_DENIED error
 */
gboolean
sesame_operators_sign_in (SesameStore  *self,
                          const char   *login,
                          const char   *passphrase,
                          GError      **error)
{
  return _sesame_operators_sign_in_cancellable (self, login, passphrase, NULL, error);
}

/* sesame_operators_sign_in(), given up when @cancellable is cancelled
 * before the passphrase is found right: then nobody signs in and no
 * sign-in is recorded. A wrong passphrase is recorded all the same. */
gboolean
_sesame_operators_sign_in_cancellable (SesameStore   *self,
                                       const char    *login,
                                       const char    *passphrase,
                                       GCancellable  *cancellable,
                                       GError       **error)
{
  g_auto(SesameOperatorRow) row = { 0 };
  g_autofree char *normalized = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *attempt_login = NULL;
  const char *hash;
  gboolean found, right;
  gint64 wait;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  normalized = _sesame_operators_normalize_login (login);
  if (passphrase == NULL)
    passphrase = "";

  found = *normalized != '\0' && _sesame_operators_load_row (self, normalized, &row, NULL);
  attempt_login = _sesame_operators_dup_attempt_login (normalized, &row);
  wait = _sesame_operators_sign_in_wait (self, attempt_login);
  if (wait > 0)
    {
      _sesame_operators_record_refusal (self, attempt_login, &row, "passphrase", FALSE, "operator-sign-in-refused", "throttled");
      _sesame_operators_set_throttled_error (normalized, wait, error);
      return FALSE;
    }

  hash = found && row.hash != NULL ? row.hash : dummy_hash;
  right = crypto_pwhash_str_verify (hash, passphrase, strlen (passphrase)) == 0 &&
          found && row.hash != NULL;

  if (!right)
    {
      _sesame_operators_record_refusal (self, attempt_login, &row, "passphrase", TRUE, "operator-sign-in-refused",
                      !found ? "unknown login" : row.hash == NULL ? "no passphrase" : "wrong passphrase");
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           _("The login or the passphrase is wrong. Type them again; if you forgot your passphrase, ask an administrator for an enrolment code."));
      return FALSE;
    }

  if (row.left || row.profile == SESAME_PROFILE_ELEVE || row.profile == SESAME_PROFILE_PARENT ||
      !_sesame_store_key_is_operator (self, row.key))
    {
      _sesame_operators_record_refusal (self, attempt_login, &row, "passphrase", FALSE, "operator-sign-in-refused", "no role");
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("%s no longer holds a role in Sésame: ask an administrator."), row.login);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  previous = g_strdup (sesame_store_operator_get_login (self));
  if (!_sesame_store_set_operator_trusted (self, row.login, error))
    return FALSE;
  if (sesame_store_is_read_only (self))
    {
      record_read_sign_in (self, &row);
      return TRUE;
    }
  if (!_sesame_store_begin (self, error))
    goto restore;
  if (!_sesame_operators_record_attempt (self, row.login, row.key, "passphrase", TRUE, error) ||
      !_sesame_store_audit (self, "operator-sign-in", row.login, NULL, error))
    {
      _sesame_store_rollback (self);
      goto restore;
    }
  /* Hashes made with older parameters are redone with the current ones. */
  if (crypto_pwhash_str_needs_rehash (row.hash, PASSPHRASE_OPSLIMIT, PASSPHRASE_MEMLIMIT) != 0)
    {
      g_autofree char *rehash = _sesame_operators_hash_passphrase (passphrase, NULL);

      if (rehash != NULL && !_sesame_operators_insert_passphrase (self, row.key, rehash, "rehash", NULL))
        g_debug ("Cannot renew the passphrase hash of %s", row.login);
    }
  if (!_sesame_store_commit (self, error))
    goto restore;
  return TRUE;

restore:
  _sesame_store_set_operator_trusted (self, previous, NULL);
  return FALSE;
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, column);
}

static void
fill_operator_state (SesameStore        *self,
                     SesameOperatorInfo *info)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "SELECT (SELECT MAX (set_at) FROM operator_passphrases WHERE person_key = ?1),"
                                " (SELECT MAX (expires_at) FROM enrolment_codes WHERE person_key = ?1"
                                "  AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2),"
                                " (SELECT MAX (at) FROM operator_sign_ins WHERE person_key = ?1 AND succeeded = 1)",
                                NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, info->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      info->passphrase_set_at = column_time (stmt, 0);
      info->has_passphrase = info->passphrase_set_at != 0;
      info->code_expires_at = column_time (stmt, 1);
      info->code_pending = info->code_expires_at != 0;
      info->last_sign_in_at = column_time (stmt, 2);
    }
  sqlite3_reset (stmt);
}

/**
 * sesame_operators_list:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * The table of operators for administrators: everyone who holds a role,
 * and anyone who kept a passphrase after losing theirs (role ""), with
 * whether they have a passphrase, whether an enrolment code waits for them
 * (never the code) and when they last signed in.
 *
 * It reads the store, which is used by one thread at a time. It fails with
 * %SESAME_ERROR_PERMISSION_DENIED when the acting operator may not manage
 * roles, or with the store's (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED)
 * errors.
 *
 * Returns: (transfer full) (element-type SesameOperatorInfo): the operators
 */
GPtrArray *
sesame_operators_list (SesameStore  *self,
                       GError      **error)
{
  g_autoptr(GPtrArray) operators = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_operator_info_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) grants = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, NULL, error))
    return NULL;
  grants = sesame_roles_list (self, error);
  if (grants == NULL)
    return NULL;

  /* Administrators first: a person holding both roles is listed once. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < grants->len; i++)
      {
        SesameRoleGrant *grant = g_ptr_array_index (grants, i);
        SesameOperatorInfo *info;

        if (g_str_equal (grant->role, "admin") != (pass == 0) ||
            g_hash_table_contains (seen, grant->key) || *grant->login == '\0')
          continue;
        info = g_new0 (SesameOperatorInfo, 1);
        info->login = g_strdup (grant->login);
        info->key = g_strdup (grant->key);
        info->name = g_strdup (grant->name);
        info->role = g_strdup (grant->role);
        fill_operator_state (self, info);
        g_hash_table_add (seen, info->key);
        g_ptr_array_add (operators, info);
      }

  stmt = _sesame_store_prepare (self,
                                "SELECT DISTINCT a.login, p.key, p.first_name, p.last_name FROM operator_passphrases o"
                                " JOIN persons p ON p.key = o.person_key AND p.deleted_at IS NULL"
                                " JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " ORDER BY a.login",
                                error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *last = NULL;
      SesameOperatorInfo *info;

      if (g_hash_table_contains (seen, _sesame_column_text (stmt, 1)))
        continue;
      last = g_utf8_strup (_sesame_column_text (stmt, 3), -1);
      info = g_new0 (SesameOperatorInfo, 1);
      info->login = g_strdup (_sesame_column_text (stmt, 0));
      info->key = g_strdup (_sesame_column_text (stmt, 1));
      info->name = g_strdup_printf ("%s %s", _sesame_column_text (stmt, 2), last);
      info->role = g_strdup ("");
      fill_operator_state (self, info);
      g_hash_table_add (seen, info->key);
      g_ptr_array_add (operators, info);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&operators);
}

/* The reasons a refusal records, for people reading the audit trail. */
static const char *
describe_reason (const char *reason)
{
  if (g_str_equal (reason, "unknown login"))
    return _("unknown login");
  if (g_str_equal (reason, "no passphrase"))
    return _("no passphrase set");
  if (g_str_equal (reason, "wrong passphrase"))
    return _("wrong passphrase");
  if (g_str_equal (reason, "no role"))
    return _("no role any more");
  if (g_str_equal (reason, "throttled"))
    return _("too many wrong attempts");
  if (g_str_equal (reason, "wrong code"))
    return _("wrong code");
  if (g_str_equal (reason, "code already used"))
    return _("code already used");
  if (g_str_equal (reason, "code replaced"))
    return _("code replaced by a newer one");
  if (g_str_equal (reason, "code expired"))
    return _("code expired");
  return reason;
}

char *
_sesame_operators_describe_audit (const SesameAuditEntry *entry)
{
  const char *action = entry->action;
  /* Unknown logins are audited without what was typed. */
  const char *target = *entry->target != '\0' ? entry->target : _("an unknown login");

  if (g_str_equal (action, "operator-setup"))
    return g_strdup_printf (_("Set up the store as its administrator (%s)"), target);
  if (g_str_equal (action, "operator-invite"))
    return g_strdup_printf (_("Made an enrolment code for %s"), target);
  if (g_str_equal (action, "operator-enrol"))
    return g_strdup_printf (_("%s set their operator passphrase with an enrolment code"), target);
  if (g_str_equal (action, "operator-sign-in"))
    return g_strdup_printf (_("%s signed in"), target);
  if (g_str_equal (action, "operator-sign-in-refused"))
    return g_strdup_printf (_("Refused a sign-in as %s: %s"), target, describe_reason (entry->detail));
  if (g_str_equal (action, "operator-enrol-refused"))
    return g_strdup_printf (_("Refused an enrolment as %s: %s"), target, describe_reason (entry->detail));
  return g_strdup_printf ("%s %s", action, target);
}
