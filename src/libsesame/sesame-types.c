/* sesame-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sesame-document-language-private.h"
#include "sesame-error.h"
#include "sesame-types-private.h"

/**
 * sesame_error_quark:
 *
 * The error domain of the Sésame core, with the codes of #SesameError.
 * The import and the SMTP client have domains of their own
 * (%SESAME_IMPORT_ERROR, %SESAME_SMTP_ERROR) for what only they report.
 *
 * Returns: the #GQuark of %SESAME_ERROR
 */
G_DEFINE_QUARK (sesame-error-quark, sesame_error)

static const struct {
  const char *token;
  const char *label;
} profiles[] = {
  [SESAME_PROFILE_NONE]           = { "",               NC_("profile", "Unknown") },
  [SESAME_PROFILE_ELEVE]          = { "eleve",          NC_("profile", "Pupil") },
  [SESAME_PROFILE_PARENT]         = { "parent",         NC_("profile", "Parent") },
  [SESAME_PROFILE_ENSEIGNANT]     = { "enseignant",     NC_("profile", "Teacher") },
  [SESAME_PROFILE_NON_ENSEIGNANT] = { "non-enseignant", NC_("profile", "Non-teaching staff") },
  [SESAME_PROFILE_AUTRE]          = { "autre",          NC_("profile", "Other") },
  [SESAME_PROFILE_COLLECTIVITE]   = { "collectivite",   NC_("profile", "Local authority staff") },
};

/**
 * sesame_profile_to_token:
 * @profile: a #SesameProfile
 *
 * Gives the profile's stable name, the one sesamectl accepts and prints
 * and JSON output carries: it never changes with the language.
 *
 * Returns: (transfer none): the profile's token (`eleve`, `parent`, …), or
 *   an empty string for %SESAME_PROFILE_NONE
 */
const char *
sesame_profile_to_token (SesameProfile profile)
{
  g_return_val_if_fail (profile < SESAME_N_PROFILES, "");
  return profiles[profile].token;
}

/**
 * sesame_profile_from_token:
 * @token: (nullable): a profile token, as sesame_profile_to_token() gives it
 *
 * Reads a profile's token back, ignoring ASCII case.
 *
 * Returns: the profile named by @token, or %SESAME_PROFILE_NONE when
 *   @token is %NULL, empty or names no profile
 */
SesameProfile
sesame_profile_from_token (const char *token)
{
  if (token == NULL || *token == '\0')
    return SESAME_PROFILE_NONE;
  for (guint i = 1; i < G_N_ELEMENTS (profiles); i++)
    if (g_ascii_strcasecmp (token, profiles[i].token) == 0)
      return (SesameProfile) i;
  return SESAME_PROFILE_NONE;
}

/**
 * sesame_profile_to_label:
 * @profile: a #SesameProfile
 *
 * Gives the profile's name as people read it, in the language of the
 * interface (not the document language).
 *
 * Returns: (transfer none): the translated name of the profile
 */
const char *
sesame_profile_to_label (SesameProfile profile)
{
  g_return_val_if_fail (profile < SESAME_N_PROFILES, "");
  return g_dpgettext2 (GETTEXT_PACKAGE, "profile", profiles[profile].label);
}

/**
 * sesame_profile_is_distributable:
 * @profile: a #SesameProfile
 *
 * Academy staff sign in with their academic credentials: their accounts are
 * never given a password, printed, exported or mailed.
 *
 * Returns: whether accounts of this profile are distributed by Sésame
 */
gboolean
sesame_profile_is_distributable (SesameProfile profile)
{
  return profile == SESAME_PROFILE_ELEVE ||
         profile == SESAME_PROFILE_PARENT ||
         profile == SESAME_PROFILE_AUTRE ||
         profile == SESAME_PROFILE_COLLECTIVITE;
}

static const char *
distributable_profiles_sql (void)
{
  static char *list = NULL;

  if (g_once_init_enter (&list))
    {
      GString *sql = g_string_new ("(");

      for (SesameProfile p = SESAME_PROFILE_NONE; p < SESAME_N_PROFILES; p++)
        if (sesame_profile_is_distributable (p))
          g_string_append_printf (sql, "%s%d", sql->len > 1 ? ", " : "", (int) p);
      g_string_append_c (sql, ')');
      g_once_init_leave (&list, g_string_free (sql, FALSE));
    }
  return list;
}

/**
 * _sesame_profile_sql:
 * @sql: a statement naming profiles by placeholder:
 *   %SESAME_SQL_DISTRIBUTABLE, %SESAME_SQL_PUPIL, %SESAME_SQL_PARENT
 *
 * Statements never write profile numbers themselves: who receives
 * passwords is decided by sesame_profile_is_distributable() alone, and
 * the numbers by the order of #SesameProfile, so that neither can drift
 * from the SQL.
 *
 * Returns: the statement with the placeholders replaced, an interned
 *   string that lives as long as the program (statements are cached by it)
 */
const char *
_sesame_profile_sql (const char *sql)
{
  static GHashTable *expanded = NULL;
  static GMutex lock;
  const char *result;

  g_return_val_if_fail (sql != NULL, NULL);

  g_mutex_lock (&lock);
  if (expanded == NULL)
    expanded = g_hash_table_new (g_direct_hash, g_direct_equal);
  result = g_hash_table_lookup (expanded, sql);
  if (result == NULL)
    {
      g_autoptr(GString) text = g_string_new (sql);
      g_autofree char *pupil = g_strdup_printf ("%d", (int) SESAME_PROFILE_ELEVE);
      g_autofree char *parent = g_strdup_printf ("%d", (int) SESAME_PROFILE_PARENT);

      g_string_replace (text, SESAME_SQL_DISTRIBUTABLE, distributable_profiles_sql (), 0);
      g_string_replace (text, SESAME_SQL_PUPIL, pupil, 0);
      g_string_replace (text, SESAME_SQL_PARENT, parent, 0);
      result = g_intern_string (text->str);
      /* Keyed by the caller's literal: one expansion per statement. */
      g_hash_table_insert (expanded, (gpointer) sql, (gpointer) result);
    }
  g_mutex_unlock (&lock);
  return result;
}

static const struct {
  const char *token;
  const char *label;
} states[] = {
  [SESAME_ACCOUNT_STATE_PENDING]  = { "pending",  NC_("account state", "Pending") },
  [SESAME_ACCOUNT_STATE_ACTIVE]   = { "active",   NC_("account state", "Activated") },
  [SESAME_ACCOUNT_STATE_DISABLED] = { "disabled", NC_("account state", "Disabled") },
};

/**
 * sesame_account_state_to_token:
 * @state: a #SesameAccountState
 *
 * Gives the state's stable name, the one sesamectl accepts and prints and
 * JSON output carries.
 *
 * Returns: (transfer none): `pending`, `active` or `disabled`
 */
const char *
sesame_account_state_to_token (SesameAccountState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), "");
  return states[state].token;
}

/**
 * sesame_account_state_from_token:
 * @token: (nullable): a state token, as sesame_account_state_to_token()
 *   gives it
 * @state: (out): where to store the state read
 *
 * Reads a state's token back, ignoring ASCII case. @state is left
 * untouched when @token names no state, so that a caller can report the
 * bad token itself.
 *
 * Returns: %TRUE when @token names a state and @state was set
 */
gboolean
sesame_account_state_from_token (const char         *token,
                                 SesameAccountState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  for (guint i = 0; token != NULL && i < G_N_ELEMENTS (states); i++)
    if (g_ascii_strcasecmp (token, states[i].token) == 0)
      {
        *state = (SesameAccountState) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sesame_account_state_to_label:
 * @state: a #SesameAccountState
 *
 * Gives the state's name as people read it ("Pending", "Activated",
 * "Disabled"), in the language of the interface.
 *
 * Returns: (transfer none): the translated name of the state
 */
const char *
sesame_account_state_to_label (SesameAccountState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), "");
  return g_dpgettext2 (GETTEXT_PACKAGE, "account state", states[state].label);
}

/**
 * sesame_role_scope_to_token:
 * @scope: a #SesameRoleScope
 *
 * Gives the scope's stable name, the one sesamectl accepts and prints and
 * the store keeps.
 *
 * Returns: (transfer none): `establishment`, `classes` or `all`
 */
const char *
sesame_role_scope_to_token (SesameRoleScope scope)
{
  switch (scope)
    {
    case SESAME_ROLE_SCOPE_CLASSES:
      return "classes";
    case SESAME_ROLE_SCOPE_ALL:
      return "all";
    case SESAME_ROLE_SCOPE_ESTABLISHMENT:
    default:
      return "establishment";
    }
}

/**
 * sesame_role_scope_from_token:
 * @token: (nullable): a scope token, as sesame_role_scope_to_token() gives it
 * @scope: (out): where to store the scope read
 *
 * Reads a scope's token back; the match is exact. @scope is left untouched
 * when @token names no scope.
 *
 * Returns: %TRUE when @token names a scope and @scope was set
 */
gboolean
sesame_role_scope_from_token (const char      *token,
                              SesameRoleScope *scope)
{
  g_return_val_if_fail (scope != NULL, FALSE);

  if (g_strcmp0 (token, "establishment") == 0)
    *scope = SESAME_ROLE_SCOPE_ESTABLISHMENT;
  else if (g_strcmp0 (token, "classes") == 0)
    *scope = SESAME_ROLE_SCOPE_CLASSES;
  else if (g_strcmp0 (token, "all") == 0)
    *scope = SESAME_ROLE_SCOPE_ALL;
  else
    return FALSE;
  return TRUE;
}

/**
 * sesame_role_scope_to_label:
 * @scope: a #SesameRoleScope
 *
 * Gives what the scope covers, as the table of rights shows it, in the
 * language of the interface.
 *
 * Returns: (transfer none): the translated description of the scope
 */
const char *
sesame_role_scope_to_label (SesameRoleScope scope)
{
  switch (scope)
    {
    case SESAME_ROLE_SCOPE_CLASSES:
      return _("Pupils of their classes and their guardians");
    case SESAME_ROLE_SCOPE_ALL:
      return _("All establishments");
    case SESAME_ROLE_SCOPE_ESTABLISHMENT:
    default:
      return _("Whole establishment");
    }
}
