/* sesame-campaign-eligibility.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whom a campaign may write to. Only accounts that never signed in, are
 * not disabled and belong to a distributable profile are targeted;
 * academy staff never are, whatever the caller asks, and administrators
 * of some establishments reach those only. Counting, previewing and
 * recording a campaign all ask the same query here, so that the numbers
 * the operator reads are the messages that leave.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>

#include "sesame-campaign-eligibility-private.h"
#include "sesame-document-language-private.h"

/* The profiles as the eligibility query matches them: ",1,2,". */
static char *
profiles_to_sql_set (guint profiles)
{
  g_autoptr(GString) set = g_string_new (",");

  for (SesameProfile p = SESAME_PROFILE_ELEVE; p < SESAME_N_PROFILES; p++)
    if (profiles & SESAME_PROFILE_BIT (p))
      g_string_append_printf (set, "%d,", (int) p);
  return g_string_free (g_steal_pointer (&set), FALSE);
}

/* Class codes as the eligibility query matches them: "\n6A\n5 B\n", or "". */
static char *
classes_to_sql_set (const char * const *classes)
{
  g_autoptr(GString) set = g_string_new (NULL);

  if (classes == NULL || classes[0] == NULL)
    return g_strdup ("");
  g_string_append_c (set, '\n');
  for (guint i = 0; classes[i] != NULL; i++)
    {
      g_string_append (set, classes[i]);
      g_string_append_c (set, '\n');
    }
  return g_string_free (g_steal_pointer (&set), FALSE);
}

/* At least one profile, and academy staff never, whatever the caller
 * asks. */
gboolean
_sesame_campaign_eligibility_check_profiles (SesameCampaign  *campaign,
                                             GError         **error)
{
  if (campaign->profiles == 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("Choose at least one profile to send the identifiers to."));
      return FALSE;
    }
  for (guint p = 0; p < 32; p++)
    if ((campaign->profiles & SESAME_PROFILE_BIT (p)) &&
        (p >= SESAME_N_PROFILES || !sesame_profile_is_distributable (p)))
      {
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                     _("“%s” accounts are academy staff: they sign in with their academic credentials, which Sésame never sends. Leave this profile out."),
                     p < SESAME_N_PROFILES ? sesame_profile_to_label (p) : "?");
        return FALSE;
      }
  return TRUE;
}

/* Administrators of one establishment send to theirs when the campaign
 * names none. */
void
_sesame_campaign_eligibility_default_establishment (SesameStore    *self,
                                                    SesameCampaign *campaign)
{
  g_auto(GStrv) mine = sesame_store_operator_dup_administered_establishments (self);

  if (mine != NULL && campaign->establishment[0] == '\0' && g_strv_length (mine) == 1)
    sesame_campaign_set_establishment (campaign, mine[0]);
}

/* Administrators of some establishments send to those only: a campaign
 * names one of them. */
gboolean
_sesame_campaign_eligibility_check_establishment (SesameStore     *self,
                                                  SesameCampaign  *campaign,
                                                  GError         **error)
{
  g_auto(GStrv) mine = sesame_store_operator_dup_administered_establishments (self);

  if (mine == NULL)
    return TRUE;
  if (campaign->establishment[0] == '\0')
    {
      g_autofree char *list = g_strjoinv (", ", mine);

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("Choose the establishment to send to: you administer %s, not every establishment of the store."),
                   list);
      return FALSE;
    }
  return _sesame_store_check_establishment (self, SESAME_PERMISSION_SEND_MAIL, campaign->establishment, error);
}

/* The operator may send to this target: the right to send, the
 * establishment, the profiles. Call
 * _sesame_campaign_eligibility_default_establishment() first. */
gboolean
_sesame_campaign_eligibility_check_target (SesameStore     *self,
                                           SesameCampaign  *campaign,
                                           GError         **error)
{
  return sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEND_MAIL, NULL, error) &&
         _sesame_campaign_eligibility_check_establishment (self, campaign, error) &&
         _sesame_campaign_eligibility_check_profiles (campaign, error);
}

/* Accounts that never signed in and are not disabled, of the targeted
 * profiles and classes, with their establishment (a parent's is their
 * children's). */
#define ELIGIBLE_SQL \
  "WITH targets AS (" \
  "  SELECT p.key AS key, a.login AS login, p.last_name AS last_name, p.first_name AS first_name," \
  "   p.profile AS profile, p.email AS email," \
  "   CASE WHEN p.structure <> '' THEN p.structure ELSE" \
  "    (SELECT c.structure FROM guardians g JOIN persons c ON c.key = g.pupil_key" \
  "     WHERE g.parent_key = p.key AND g.deleted_at IS NULL ORDER BY c.left_at IS NOT NULL, c.structure LIMIT 1) END AS structure" \
  "  FROM accounts a JOIN persons p ON p.key = a.person_key" \
  "  WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL AND p.left_at IS NULL" \
  "   AND a.disabled_at IS NULL AND a.first_sign_in_at IS NULL" \
  "   AND instr (?1, ',' || p.profile || ',') > 0" \
  "   AND (?2 = '' OR EXISTS (SELECT 1 FROM memberships m WHERE m.kind = 'class' AND m.deleted_at IS NULL" \
  "    AND instr (?2, char (10) || m.code || char (10)) > 0" \
  "    AND (m.person_key = p.key OR m.person_key IN (SELECT g.pupil_key FROM guardians g" \
  "     WHERE g.parent_key = p.key AND g.deleted_at IS NULL))))" \
  ")" \
  "SELECT t.key, t.login, t.last_name, t.first_name, t.profile, t.email, COALESCE (t.structure, ''), COALESCE (e.uai, '')" \
  " FROM targets t LEFT JOIN establishments e ON e.jointure = t.structure" \
  " WHERE ?3 = '' OR e.uai = ?3" \
  " ORDER BY COALESCE (e.uai, ''), t.last_name COLLATE NAME, t.first_name COLLATE NAME, t.key"

/* The accounts the campaign targets, in sending order; the columns are
 * SESAME_ELIGIBLE_*. The statement is the store's: reset it when done. */
sqlite3_stmt *
_sesame_campaign_eligibility_prepare (SesameStore     *self,
                                      SesameCampaign  *campaign,
                                      GError         **error)
{
  g_autofree char *profiles = profiles_to_sql_set (campaign->profiles);
  g_autofree char *classes = classes_to_sql_set ((const char * const *) campaign->classes);
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self, ELIGIBLE_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, profiles, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, classes, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, campaign->establishment, -1, SQLITE_TRANSIENT);
  return stmt;
}
