/* sesame-enrolment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enrolment codes: how a new operator, or one who forgot their passphrase,
 * sets a passphrase without anyone else ever knowing it. An administrator
 * makes a one-time code (when granting a role, or on demand) and hands it
 * over in person; the operator types it with the passphrase they choose.
 * Codes are random (libsodium), readable aloud, valid 7 days, used once; a
 * new code revokes the previous one. Only a BLAKE2b hash, bound to the
 * person, is kept, and codes are compared in constant time. A wrong code
 * counts for the throttle like a wrong passphrase.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-operators"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-operators-private.h"
#include "sesame-roles.h"

/* Read aloud over the phone or copied from paper: no 0/O, 1/I/L. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define CODE_GROUPS 3
#define CODE_GROUP_LENGTH 4
#define CODE_LENGTH (CODE_GROUPS * CODE_GROUP_LENGTH)

G_DEFINE_BOXED_TYPE (SesameEnrolment, sesame_enrolment,
                     sesame_enrolment_copy, sesame_enrolment_free)

/**
 * sesame_enrolment_copy:
 * @enrolment: a #SesameEnrolment
 *
 * Copies an enrolment with its strings, the one-time code included.
 *
 * Returns: (transfer full): a copy of @enrolment, freed with
 *   sesame_enrolment_free()
 */
SesameEnrolment *
sesame_enrolment_copy (const SesameEnrolment *enrolment)
{
  SesameEnrolment *copy;

  g_return_val_if_fail (enrolment != NULL, NULL);

  copy = g_memdup2 (enrolment, sizeof *enrolment);
  copy->login = g_strdup (enrolment->login);
  copy->name = g_strdup (enrolment->name);
  copy->code = g_strdup (enrolment->code);
  return copy;
}

/**
 * sesame_enrolment_free:
 * @enrolment: (nullable) (transfer full): a #SesameEnrolment
 *
 * Wipes the one-time code from memory, then frees @enrolment and its
 * strings. %NULL is ignored.
 */
void
sesame_enrolment_free (SesameEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;
  g_free (enrolment->login);
  g_free (enrolment->name);
  if (enrolment->code != NULL)
    sodium_memzero (enrolment->code, strlen (enrolment->code));
  g_free (enrolment->code);
  g_free (enrolment);
}

/* Letters and digits only, upper case: "k7qm 4xtb-9prh" is K7QM4XTB9PRH. */
static char *
normalize_code (const char *code)
{
  GString *out = g_string_new (NULL);

  for (const char *p = code; p != NULL && *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

/* The person's key binds the hash to them: a code is good for one login. */
static char *
hash_code (const char *person_key,
           const char *normalized_code)
{
  crypto_generichash_state state;
  guint8 hash[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash_init (&state, NULL, 0, sizeof hash);
  crypto_generichash_update (&state, (const guint8 *) person_key, strlen (person_key) + 1);
  crypto_generichash_update (&state, (const guint8 *) normalized_code, strlen (normalized_code));
  crypto_generichash_final (&state, hash, sizeof hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

static char *
generate_code (void)
{
  GString *code = g_string_new (NULL);

  for (guint i = 0; i < CODE_LENGTH; i++)
    {
      if (i > 0 && i % CODE_GROUP_LENGTH == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, code_alphabet[randombytes_uniform (sizeof code_alphabet - 1)]);
    }
  return g_string_free (code, FALSE);
}

/* Makes a new code for the person, revoking any earlier one. */
static SesameEnrolment *
issue_code (SesameStore  *self,
            SesameOperatorRow  *row,
            GError      **error)
{
  g_autoptr(SesameEnrolment) enrolment = g_new0 (SesameEnrolment, 1);
  g_autofree char *id = _sesame_new_id ();
  g_autofree char *normalized = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *detail = NULL;
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;

  enrolment->login = g_strdup (row->login);
  enrolment->name = g_strdup (row->name);
  enrolment->code = generate_code ();
  enrolment->expires_at = now + (gint64) SESAME_ENROLMENT_CODE_DAYS * 24 * 3600;
  normalized = normalize_code (enrolment->code);
  hash = hash_code (row->key, normalized);
  sodium_memzero (normalized, strlen (normalized));

  stmt = _sesame_store_prepare (self,
                                "UPDATE enrolment_codes SET revoked_at = ?2"
                                " WHERE person_key = ?1 AND used_at IS NULL AND revoked_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, row->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO enrolment_codes (id, person_key, code_hash, created_at, created_by, expires_at)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, enrolment->expires_at);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;

  /* The audit trail says that a code exists, never the code. */
  detail = g_strdup_printf ("%d", SESAME_ENROLMENT_CODE_DAYS);
  if (!_sesame_store_audit (self, "operator-invite", row->login, detail, error))
    return NULL;
  return g_steal_pointer (&enrolment);
}

/**
 * sesame_enrolment_invite_operator:
 * @self: a #SesameStore
 * @login: the login of an administrator or identifier manager
 * @error: return location for a #GError
 *
 * Makes a one-time enrolment code, valid %SESAME_ENROLMENT_CODE_DAYS days,
 * with which the person sets their operator passphrase
 * (sesame_enrolment_enrol()). A new code revokes the previous one; an
 * operator who forgot their passphrase sets a new one the same way. Only
 * administrators invite, and only people who hold a role: a head of
 * establishment, an administrator, an identifier manager.
 *
 * It fails with %SESAME_ERROR_PERMISSION_DENIED when the acting operator
 * may not manage roles or not for that person, %SESAME_ERROR_REFUSED when
 * the person holds no role, or with the store's (%SESAME_ERROR_BUSY,
 * %SESAME_ERROR_FAILED) errors.
 *
 * Returns: (transfer full): the code, to show or print once, or %NULL with
 *   @error set
 */
SesameEnrolment *
sesame_enrolment_invite_operator (SesameStore  *self,
                                  const char   *login,
                                  GError      **error)
{
  g_auto(SesameOperatorRow) row = { 0 };
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, NULL, error))
    return NULL;
  normalized = _sesame_operators_normalize_login (login);
  if (!_sesame_operators_load_staff (self, normalized, &row, error) ||
      !sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, row.key, error))
    return NULL;
  if (!_sesame_store_key_is_operator (self, row.key))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s holds no role in Sésame: grant them the identifier manager role first (“sesamectl roles grant %s”)."),
                   row.login, row.login);
      return NULL;
    }

  if (!_sesame_store_begin (self, error))
    return NULL;
  enrolment = issue_code (self, &row, error);
  if (enrolment == NULL)
    {
      _sesame_store_rollback (self);
      return NULL;
    }
  if (!_sesame_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&enrolment);
}

/* Grants a role and, in the same transaction, makes the enrolment code
 * with which the new operator sets their passphrase, unless they already
 * have one: nobody holds a role they cannot use, nor a code for nothing. */
static gboolean
grant_and_invite (SesameStore       *self,
                  const char        *login,
                  gboolean           admin,
                  SesameRoleScope    scope,
                  SesameEnrolment  **enrolment,
                  GError           **error)
{
  g_auto(SesameOperatorRow) row = { 0 };
  g_autoptr(SesameEnrolment) code = NULL;
  g_autofree char *normalized = NULL;
  gboolean granted;

  if (enrolment != NULL)
    *enrolment = NULL;
  normalized = _sesame_operators_normalize_login (login);

  if (!_sesame_store_begin (self, error))
    return FALSE;
  granted = admin ? sesame_roles_grant_admin (self, normalized, scope, error)
                  : sesame_roles_grant (self, normalized, scope, error);
  if (!granted || !_sesame_operators_load_staff (self, normalized, &row, error))
    goto fail;
  if (row.hash == NULL)
    {
      code = issue_code (self, &row, error);
      if (code == NULL)
        goto fail;
    }
  if (!_sesame_store_commit (self, error))
    return FALSE;

  if (enrolment != NULL)
    *enrolment = g_steal_pointer (&code);
  return TRUE;

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

/**
 * sesame_enrolment_grant_role:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @scope: the scope of the role
 * @enrolment: (out) (optional) (nullable) (transfer full): the enrolment
 *   code made for them, or %NULL when they already have a passphrase
 * @error: return location for a #GError
 *
 * Grants the identifier manager role (sesame_roles_grant()) and, in the
 * same transaction, makes the enrolment code with which the new operator
 * sets their passphrase, unless they already have one.
 *
 * It fails with the errors of sesame_roles_grant() and
 * sesame_enrolment_invite_operator(); then neither the role nor a code is
 * written.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_enrolment_grant_role (SesameStore       *self,
                             const char        *login,
                             SesameRoleScope    scope,
                             SesameEnrolment  **enrolment,
                             GError           **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  return grant_and_invite (self, login, FALSE, scope, enrolment, error);
}

/**
 * sesame_enrolment_grant_admin:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @scope: %SESAME_ROLE_SCOPE_ALL or %SESAME_ROLE_SCOPE_ESTABLISHMENT
 * @enrolment: (out) (optional) (nullable) (transfer full): the enrolment
 *   code made for them, or %NULL when they already have a passphrase
 * @error: return location for a #GError
 *
 * Makes a member of staff an administrator (sesame_roles_grant_admin())
 * and, in the same transaction, makes their enrolment code unless they
 * already have a passphrase.
 *
 * It fails with the errors of sesame_roles_grant_admin() and
 * sesame_enrolment_invite_operator(); then neither the role nor a code is
 * written.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_enrolment_grant_admin (SesameStore       *self,
                              const char        *login,
                              SesameRoleScope    scope,
                              SesameEnrolment  **enrolment,
                              GError           **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  return grant_and_invite (self, login, TRUE, scope, enrolment, error);
}

typedef enum
{
  CODE_WRONG,
  CODE_GOOD,
  CODE_USED,
  CODE_REPLACED,
  CODE_EXPIRED,
} CodeState;

/* Compares the code typed with every code the person was given, in
 * constant time, and says what became of the one it matches. */
static CodeState
find_code (SesameStore  *self,
           const char   *key,
           const char   *code,
           char        **code_id)
{
  g_autofree char *normalized = normalize_code (code);
  g_autofree char *typed = NULL;
  CodeState state = CODE_WRONG;
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (self);

  /* Without a key, the comparisons still happen, against nothing. */
  typed = hash_code (key != NULL ? key : "", normalized);
  sodium_memzero (normalized, strlen (normalized));
  if (key == NULL)
    return CODE_WRONG;

  stmt = _sesame_store_prepare (self,
                                "SELECT id, code_hash, expires_at, used_at IS NOT NULL, revoked_at IS NOT NULL"
                                " FROM enrolment_codes WHERE person_key = ? ORDER BY created_at DESC, rowid DESC",
                                NULL);
  if (stmt == NULL)
    return CODE_WRONG;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *stored = _sesame_column_text (stmt, 1);

      if (strlen (stored) != strlen (typed) || sodium_memcmp (stored, typed, strlen (typed)) != 0)
        continue;
      if (sqlite3_column_int (stmt, 3) != 0)
        state = CODE_USED;
      else if (sqlite3_column_int (stmt, 4) != 0)
        state = CODE_REPLACED;
      else if (sqlite3_column_int64 (stmt, 2) <= now)
        state = CODE_EXPIRED;
      else
        {
          state = CODE_GOOD;
          *code_id = g_strdup (_sesame_column_text (stmt, 0));
        }
      break;
    }
  sqlite3_reset (stmt);
  return state;
}

/**
 * sesame_enrolment_enrol:
 * @self: a #SesameStore
 * @login: the login of the operator enrolling
 * @code: the enrolment code an administrator gave them
 * @passphrase: the operator passphrase they chose
 * @error: return location for a #GError
 *
 * Sets an operator's passphrase with a one-time enrolment code
 * (sesame_enrolment_invite_operator()). The code is used once; a wrong code
 * counts as a wrong attempt for the throttle and is audited. On success the
 * operator is signed in.
 *
 * Returns: %TRUE on success, or %FALSE with a %SESAME_ERROR_PERMISSION_DENIED
 *   error (wrong, expired, used or replaced code; throttled) or a
 *   %SESAME_ERROR_REFUSED one (weak passphrase, no role)
 */
gboolean
sesame_enrolment_enrol (SesameStore  *self,
                        const char   *login,
                        const char   *code,
                        const char   *passphrase,
                        GError      **error)
{
  g_auto(SesameOperatorRow) row = { 0 };
  g_autofree char *normalized = NULL;
  g_autofree char *code_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *attempt_login = NULL;
  sqlite3_stmt *stmt;
  CodeState state;
  gint64 wait;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  normalized = _sesame_operators_normalize_login (login);
  _sesame_operators_load_row (self, normalized, &row, NULL);
  attempt_login = _sesame_operators_dup_attempt_login (normalized, &row);
  wait = _sesame_operators_sign_in_wait (self, attempt_login);
  if (wait > 0)
    {
      _sesame_operators_record_refusal (self, attempt_login, &row, "code", FALSE, "operator-enrol-refused", "throttled");
      _sesame_operators_set_throttled_error (normalized, wait, error);
      return FALSE;
    }

  state = find_code (self, row.key, code != NULL ? code : "", &code_id);
  switch (state)
    {
    case CODE_WRONG:
      _sesame_operators_record_refusal (self, attempt_login, &row, "code", TRUE, "operator-enrol-refused", "wrong code");
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("This enrolment code is not the one given for “%s”. Check the login and the code (three groups of four letters and digits), or ask an administrator for a new code."),
                   normalized);
      return FALSE;
    case CODE_USED:
      _sesame_operators_record_refusal (self, attempt_login, &row, "code", FALSE, "operator-enrol-refused", "code already used");
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("This enrolment code was already used. If you did not use it yourself, tell an administrator at once and ask for a new code."));
      return FALSE;
    case CODE_REPLACED:
      _sesame_operators_record_refusal (self, attempt_login, &row, "code", FALSE, "operator-enrol-refused", "code replaced");
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("This enrolment code was replaced by a newer one: use the latest code an administrator gave you."));
      return FALSE;
    case CODE_EXPIRED:
      _sesame_operators_record_refusal (self, attempt_login, &row, "code", FALSE, "operator-enrol-refused", "code expired");
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This enrolment code has expired (codes are valid %d day): ask an administrator for a new one.",
                                "This enrolment code has expired (codes are valid %d days): ask an administrator for a new one.",
                                SESAME_ENROLMENT_CODE_DAYS),
                   SESAME_ENROLMENT_CODE_DAYS);
      return FALSE;
    case CODE_GOOD:
    default:
      break;
    }

  /* The code is right: what remains is about the person, not a guess. */
  if (row.left || row.profile == SESAME_PROFILE_ELEVE || row.profile == SESAME_PROFILE_PARENT ||
      !_sesame_store_key_is_operator (self, row.key))
    {
      _sesame_operators_record_refusal (self, attempt_login, &row, "code", FALSE, "operator-enrol-refused", "no role");
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s no longer holds a role in Sésame: ask an administrator."), row.login);
      return FALSE;
    }
  if (!_sesame_operators_check_policy (self, row.login, row.key, passphrase, error))
    return FALSE;
  hash = _sesame_operators_hash_passphrase (passphrase, error);
  if (hash == NULL)
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  stmt = _sesame_store_prepare (self,
                                "UPDATE enrolment_codes SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, code_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (_sesame_store_get_db (self)) != 1)
    {
      /* Another desk used it in the meantime. */
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("This enrolment code was already used. If you did not use it yourself, tell an administrator at once and ask for a new code."));
      goto fail;
    }
  if (!_sesame_operators_insert_passphrase (self, row.key, hash, "enrolment", error) ||
      !_sesame_operators_record_attempt (self, row.login, row.key, "code", TRUE, error) ||
      !_sesame_store_audit (self, "operator-enrol", row.login, NULL, error))
    goto fail;
  if (!_sesame_store_commit (self, error))
    return FALSE;

  return _sesame_store_set_operator_trusted (self, row.login, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}
