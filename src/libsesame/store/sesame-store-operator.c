/* sesame-store-operator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who acts on the store, and what they may do. A store is opened by its
 * owner, who acts until a member of staff signs in; every operation of
 * the core then asks here whether the acting operator holds the
 * permission, and for whom, so that the interface and the command-line
 * tool can never do more than the operator may. What an operator reaches
 * is decided once, in sesame-store-reach.c.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

/* Its refusals are also a server's reasons, in the pushing desk's language. */
#include "sesame-document-language-private.h"

#include "sesame-store-internal-private.h"

/**
 * _sesame_store_operator_dup_owner_name:
 *
 * The audit trail names the store's owner (who acts without signing in,
 * such as a scheduled import) so that nobody mistakes them for a member of
 * staff: "store owner (unix user)".
 *
 * Returns: (transfer full): the name the audit trail gives the owner
 */
char *
_sesame_store_operator_dup_owner_name (void)
{
  return g_strdup_printf (_("store owner (%s)"), g_get_user_name ());
}

/* The directory key of the member of staff whose account has @login. */
static char *
dup_account_key (SesameStore  *self,
                 const char   *login,
                 GError      **error)
{
  sqlite3_stmt *stmt;
  char *key = NULL;

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
                 _("No account has the login “%s”: an operator must be a member of staff of the store."),
                 login);
  return key;
}

/**
 * _sesame_store_set_operator_trusted:
 * @self: a #SesameStore
 * @login: (nullable): the login of the acting staff member, or %NULL for the
 *   store's owner
 * @error: return location for a #GError
 *
 * Names who acts from now on, without any proof: every later operation
 * checks this operator's permissions and the audit trail names them. Only
 * for callers that already hold the proof (a sign-in, the owner of the file
 * acting as themselves, a second connection of a signed-in store) and for
 * the tests. Interfaces sign in with sesame_operators_sign_in().
 *
 * Returns: %TRUE if @login names an account of the store
 */
gboolean
_sesame_store_set_operator_trusted (SesameStore  *self,
                                    const char   *login,
                                    GError      **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (login != NULL && (key = dup_account_key (self, login, error)) == NULL)
    return FALSE;

  if (g_strcmp0 (login, self->operator_login) == 0)
    return TRUE;

  g_free (self->operator_login);
  self->operator_login = g_strdup (login);
  g_free (self->operator_key);
  self->operator_key = g_steal_pointer (&key);
  g_free (self->operator_name);
  self->operator_name = login ? g_strdup (login) : _sesame_store_operator_dup_owner_name ();
  _sesame_store_notify_operator (self);
  return TRUE;
}

/**
 * sesame_store_operator_get_login:
 * @self: a #SesameStore
 *
 * Tells whom the store acts for, as the login they signed in with.
 *
 * Returns: (nullable): the acting operator's login, or %NULL for the owner
 */
const char *
sesame_store_operator_get_login (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  return self->operator_login;
}

/**
 * sesame_store_operator_get_key:
 * @self: a #SesameStore
 *
 * Tells whom the store acts for, as their directory key, e.g. to match
 * them against the persons of the store.
 *
 * Returns: (nullable): the directory key of the acting operator, or %NULL
 *   for the owner
 */
const char *
sesame_store_operator_get_key (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  return self->operator_key;
}

/**
 * _sesame_store_operator_name:
 * @self: a #SesameStore
 *
 * Returns: the name the audit trail records for the acting operator: their
 *   login, or the store's owner
 */
const char *
_sesame_store_operator_name (SesameStore *self)
{
  return self->operator_name;
}

/**
 * sesame_store_operator_dup_display_name:
 * @self: a #SesameStore
 *
 * Names the acting operator the way letters, logs and the interface show
 * them, falling back on their login if the directory does not know them.
 *
 * Returns: (transfer full): "First LAST" of the acting operator, or the
 *   user name of the store's owner
 */
char *
sesame_store_operator_dup_display_name (SesameStore *self)
{
  sqlite3_stmt *stmt;
  char *name = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (self->operator_key == NULL)
    return g_strdup (g_get_real_name () && g_strcmp0 (g_get_real_name (), "Unknown") != 0
                     ? g_get_real_name () : g_get_user_name ());

  stmt = _sesame_store_prepare (self, "SELECT first_name, last_name FROM persons WHERE key = ?", NULL);
  if (stmt == NULL)
    return g_strdup (self->operator_login);
  sqlite3_bind_text (stmt, 1, self->operator_key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup_printf ("%s %s", _sesame_column_text (stmt, 0), _sesame_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return name ? name : g_strdup (self->operator_login);
}

/**
 * sesame_store_operator_is_admin:
 * @self: a #SesameStore
 *
 * The store's owner, the administrators of every establishment, the heads
 * of establishment still in post and the administrators of an
 * establishment are administrators: the last two of their own
 * establishments only (see sesame_store_operator_administers()).
 *
 * Returns: whether the acting operator administers at least one
 *   establishment
 */
gboolean
sesame_store_operator_is_admin (SesameStore *self)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  return reach.admin;
}

/**
 * sesame_store_operator_administers_all:
 * @self: a #SesameStore
 *
 * Tells whether the acting operator may administer every establishment,
 * so that no filter by establishment applies to them.
 *
 * Returns: whether the acting operator administers the whole store: its
 *   owner, or an administrator of all establishments
 */
gboolean
sesame_store_operator_administers_all (SesameStore *self)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  return reach.admin && reach.kind == SESAME_REACH_ALL;
}

/**
 * sesame_store_operator_administers:
 * @self: a #SesameStore
 * @uai: an establishment's UAI
 *
 * Tells whether the acting operator may administer the establishment with
 * UAI @uai, either by a role on it or by a role on the whole store.
 *
 * Returns: whether the acting operator administers this establishment
 */
gboolean
sesame_store_operator_administers (SesameStore *self,
                                   const char  *uai)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (uai != NULL, FALSE);

  _sesame_store_get_reach (self, &reach);
  return reach.admin && _sesame_store_reach_has_uai (&reach, uai);
}

/**
 * sesame_store_operator_dup_administered_establishments:
 * @self: a #SesameStore
 *
 * Lists the establishments the acting operator may administer, to restrict
 * what they see and change to those.
 *
 * Returns: (transfer full) (nullable) (array zero-terminated=1): the UAIs
 *   of the establishments the acting operator administers, sorted, or
 *   %NULL if they administer the whole store; an empty array if none
 */
char **
sesame_store_operator_dup_administered_establishments (SesameStore *self)
{
  g_auto(SesameOperatorReach) reach = { 0, };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  _sesame_store_get_reach (self, &reach);
  if (reach.admin && reach.kind == SESAME_REACH_ALL)
    return NULL;
  if (reach.admin && reach.uais != NULL)
    {
      stmt = _sesame_store_prepare (self, "SELECT value FROM json_each (?) ORDER BY 1", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, reach.uais, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_strv_builder_add (builder, _sesame_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
    }
  return g_strv_builder_end (builder);
}

/**
 * sesame_store_operator_can:
 * @self: a #SesameStore
 * @permission: what the operator wants to do
 *
 * Whether the acting operator may do this at all, whoever the target. The
 * interface uses it to hide or disable actions; the core still checks each
 * operation with sesame_store_operator_check_permission().
 *
 * Returns: %TRUE if the permission is held
 */
gboolean
sesame_store_operator_can (SesameStore      *self,
                           SesamePermission  permission)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  return _sesame_store_reach_can (&reach, permission);
}

static const char *
refusal_message (SesamePermission permission)
{
  switch (permission)
    {
    case SESAME_PERMISSION_IMPORT:
      return _("Only an administrator can import the directory.");
    case SESAME_PERMISSION_MANAGE_FILES:
      return _("Only an administrator can generate, export or delete identifier files.");
    case SESAME_PERMISSION_MANAGE_ROLES:
      return _("Only an administrator can grant or revoke roles.");
    case SESAME_PERMISSION_SEND_MAIL:
      return _("Only an administrator can send identifiers by email.");
    case SESAME_PERMISSION_VIEW_AUDIT:
      return _("Only an administrator of every establishment can read the whole audit trail.");
    case SESAME_PERMISSION_SEARCH:
      return _("Only administrators and identifier managers can search accounts.");
    case SESAME_PERMISSION_VIEW_ACCOUNT:
      return _("Only administrators and identifier managers can see an account.");
    case SESAME_PERMISSION_CHANGE_LOGIN:
      return _("Only administrators and identifier managers can change a login.");
    case SESAME_PERMISSION_RESET_PASSWORD:
      return _("Only administrators and identifier managers can regenerate a password.");
    case SESAME_PERMISSION_PRINT:
      return _("Only administrators and identifier managers can print identifiers.");
    case SESAME_PERMISSION_OPERATE:
      return _("Only administrators and identifier managers can use Sésame.");
    case SESAME_PERMISSION_MANAGE_STORE:
      return _("Only an administrator of every establishment can change the settings of the store.");
    default:
      return _("You may not do this.");
    }
}

/**
 * sesame_store_operator_check_permission:
 * @self: a #SesameStore
 * @permission: what the operator wants to do
 * @target_key: (nullable): the directory key of the person concerned
 * @error: return location for a #GError
 *
 * Checks that the acting operator may do this to this person:
 * administrators of some establishments and identifier managers act only
 * within their reach (see _sesame_store_get_reach()).
 *
 * Returns: %TRUE if allowed, or %FALSE with a %SESAME_ERROR_PERMISSION_DENIED
 *   error that says why
 */
gboolean
sesame_store_operator_check_permission (SesameStore       *self,
                                        SesamePermission   permission,
                                        const char        *target_key,
                                        GError           **error)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  _sesame_store_get_reach (self, &reach);
  if (!_sesame_store_reach_can (&reach, permission))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           refusal_message (permission));
      return FALSE;
    }

  if (target_key != NULL && !_sesame_store_reach_has_person (self, &reach, target_key))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           reach.admin
                           ? _("This person is outside the establishments you administer.")
                           : _("This person is outside the scope of your identifier manager role."));
      return FALSE;
    }

  return TRUE;
}

/**
 * _sesame_store_check_establishment:
 * @self: a #SesameStore
 * @permission: what the operator wants to do
 * @uai: the UAI of the establishment concerned
 * @error: return location for a #GError
 *
 * Checks that the acting operator may do this in this establishment:
 * administrators of some establishments act in those only.
 *
 * Returns: %TRUE if allowed, or %FALSE with a %SESAME_ERROR_PERMISSION_DENIED
 *   error that says why
 */
gboolean
_sesame_store_check_establishment (SesameStore       *self,
                                   SesamePermission   permission,
                                   const char        *uai,
                                   GError           **error)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  _sesame_store_get_reach (self, &reach);
  if (!_sesame_store_reach_can (&reach, permission))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           refusal_message (permission));
      return FALSE;
    }
  if (!_sesame_store_reach_has_uai (&reach, uai))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("You do not administer the establishment %s: only its head, its administrators"
                     " and the administrators of every establishment can."),
                   uai ? uai : "");
      return FALSE;
    }
  return TRUE;
}

/**
 * _sesame_store_key_is_operator:
 * @self: a #SesameStore
 * @key: a person's directory key
 *
 * Whether this person, were they signed in, would hold any right: an
 * administrator or an identifier manager. Asks the same rules as every
 * permission check, so that who may sign in never drifts from who may act.
 *
 * Returns: %TRUE for an operator
 */
gboolean
_sesame_store_key_is_operator (SesameStore *self,
                               const char  *key)
{
  char *saved_key;
  gboolean operator;

  g_assert (SESAME_IS_STORE (self));
  g_assert (key != NULL);

  saved_key = g_steal_pointer (&self->operator_key);
  self->operator_key = g_strdup (key);
  operator = sesame_store_operator_is_admin (self) ||
             sesame_store_operator_can (self, SESAME_PERMISSION_SEARCH);
  g_free (self->operator_key);
  self->operator_key = saved_key;
  return operator;
}
