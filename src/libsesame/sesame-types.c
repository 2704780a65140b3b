/* sesame-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sesame-document-language-private.h"
#include "sesame-error.h"
#include "sesame-types.h"

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
 * Returns: the profile's token on the command line and in JSON (`eleve`,
 *   `parent`, …), or an empty string for %SESAME_PROFILE_NONE.
 */
const char *
sesame_profile_to_token (SesameProfile profile)
{
  g_return_val_if_fail (profile < SESAME_N_PROFILES, "");
  return profiles[profile].token;
}

/**
 * sesame_profile_from_token:
 * @token: (nullable): a profile token
 *
 * Returns: the profile named by @token, or %SESAME_PROFILE_NONE
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
 * Returns: the translated name of the profile, as shown to people
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

static const struct {
  const char *token;
  const char *label;
} states[] = {
  [SESAME_ACCOUNT_STATE_PENDING]  = { "pending",  NC_("account state", "Pending") },
  [SESAME_ACCOUNT_STATE_ACTIVE]   = { "active",   NC_("account state", "Activated") },
  [SESAME_ACCOUNT_STATE_DISABLED] = { "disabled", NC_("account state", "Disabled") },
};

const char *
sesame_account_state_to_token (SesameAccountState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), "");
  return states[state].token;
}

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

const char *
sesame_account_state_to_label (SesameAccountState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), "");
  return g_dpgettext2 (GETTEXT_PACKAGE, "account state", states[state].label);
}

const char *
sesame_role_scope_to_token (SesameRoleScope scope)
{
  return scope == SESAME_ROLE_SCOPE_CLASSES ? "classes" : "establishment";
}

gboolean
sesame_role_scope_from_token (const char      *token,
                              SesameRoleScope *scope)
{
  g_return_val_if_fail (scope != NULL, FALSE);

  if (g_strcmp0 (token, "establishment") == 0)
    *scope = SESAME_ROLE_SCOPE_ESTABLISHMENT;
  else if (g_strcmp0 (token, "classes") == 0)
    *scope = SESAME_ROLE_SCOPE_CLASSES;
  else
    return FALSE;
  return TRUE;
}

const char *
sesame_role_scope_to_label (SesameRoleScope scope)
{
  return scope == SESAME_ROLE_SCOPE_CLASSES
    ? _("Pupils of their classes and their guardians")
    : _("Whole establishment");
}
