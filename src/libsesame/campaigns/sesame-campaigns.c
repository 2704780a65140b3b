/* sesame-campaigns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The campaigns in the store: checking one before it is recorded,
 * counting whom it reaches, recording it with its recipients, and reading
 * campaigns and their send reports back, each for an operator allowed to
 * send mail. The campaign object (sesame-campaign.c) knows nothing of SQL;
 * whom a campaign may target is decided in sesame-campaign-eligibility.c,
 * its messages are composed in sesame-campaign-message.c and sent by
 * #SesameCampaignSender.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-campaign-eligibility-private.h"
#include "sesame-campaign-lease-private.h"
#include "sesame-campaign-message-private.h"
#include "sesame-campaigns-private.h"
#include "sesame-document-language-private.h"
#include "sesame-establishments.h"

/* Profiles written as tokens, "eleve,parent", in the store. */
static char *
profiles_to_tokens (guint profiles)
{
  g_autoptr(GString) tokens = g_string_new (NULL);

  for (SesameProfile p = SESAME_PROFILE_ELEVE; p < SESAME_N_PROFILES; p++)
    if (profiles & SESAME_PROFILE_BIT (p))
      {
        if (tokens->len > 0)
          g_string_append_c (tokens, ',');
        g_string_append (tokens, sesame_profile_to_token (p));
      }
  return g_string_free (g_steal_pointer (&tokens), FALSE);
}

static guint
profiles_from_tokens (const char *text)
{
  g_auto(GStrv) tokens = g_strsplit (text, ",", -1);
  guint profiles = 0;

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      SesameProfile p = sesame_profile_from_token (tokens[i]);

      if (p != SESAME_PROFILE_NONE)
        profiles |= SESAME_PROFILE_BIT (p);
    }
  return profiles;
}

/**
 * sesame_campaigns_check:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 * @error: return location for a #GError
 *
 * Checks what the operator chose: the right to send, at least one profile
 * and no academy staff, a subject of one line and at most 75 characters,
 * a free text of at most 600, an ENT address to link to. A campaign that
 * names no establishment gets the operator's when they administer only
 * one.
 *
 * Returns: %TRUE if the campaign may be created
 */
gboolean
sesame_campaigns_check (SesameStore     *self,
                        SesameCampaign  *campaign,
                        GError         **error)
{
  g_autofree char *ent_url = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), FALSE);

  _sesame_campaign_eligibility_default_establishment (self, campaign);
  if (!_sesame_campaign_eligibility_check_target (self, campaign, error))
    return FALSE;

  if (!sesame_mail_check_subject (campaign->subject, error) ||
      !sesame_mail_check_free_text (campaign->free_text, error))
    return FALSE;

  if (campaign->establishment[0] != '\0')
    {
      g_autoptr(SesameEstablishment) establishment = sesame_establishments_find (self, campaign->establishment, error);

      if (establishment == NULL)
        return FALSE;
    }

  ent_url = _sesame_campaign_message_dup_ent_url (self, error);
  return ent_url != NULL;
}

/**
 * sesame_campaigns_count:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 * @with_address: (out) (optional): accounts that will receive it
 * @without_address: (out) (optional): accounts with no usable address
 * @error: return location for a #GError
 *
 * Counts the accounts the campaign targets: never signed in, not disabled,
 * of the chosen profiles and classes. A campaign that names no
 * establishment gets the operator's when they administer only one.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_campaigns_count (SesameStore     *self,
                        SesameCampaign  *campaign,
                        guint           *with_address,
                        guint           *without_address,
                        GError         **error)
{
  sqlite3_stmt *stmt;
  guint with = 0, without = 0;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), FALSE);

  _sesame_campaign_eligibility_default_establishment (self, campaign);
  if (!_sesame_campaign_eligibility_check_target (self, campaign, error))
    return FALSE;

  stmt = _sesame_campaign_eligibility_prepare (self, campaign, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (sesame_mail_address_is_valid (_sesame_column_text (stmt, SESAME_ELIGIBLE_EMAIL)))
        with++;
      else
        without++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }

  if (with_address != NULL)
    *with_address = with;
  if (without_address != NULL)
    *without_address = without;
  return TRUE;
}

/* The campaign's own row, inside the caller's transaction. */
static gboolean
insert_campaign (SesameStore     *self,
                 SesameCampaign  *campaign,
                 const char      *id,
                 gint64           now,
                 GError         **error)
{
  g_autofree char *profiles = profiles_to_tokens (campaign->profiles);
  g_autofree char *classes = g_strjoinv ("\n", campaign->classes);
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO campaigns (id, subject, free_text, profiles, classes, establishment,"
                                " operator, operator_key, created_at, state, state_changed_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'ready', ?9)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, campaign->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, campaign->free_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, profiles, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, classes, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, campaign->establishment, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  if (sesame_store_operator_get_key (self) != NULL)
    sqlite3_bind_text (stmt, 8, sesame_store_operator_get_key (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, now);
  return _sesame_store_step_done (self, stmt, error);
}

/* A row per account targeted, inside the caller's transaction: waiting
 * for its message or, without a usable address, for a paper letter.
 * Sets @counts to what was written. */
static gboolean
insert_recipients (SesameStore           *self,
                   SesameCampaign        *campaign,
                   const char            *id,
                   gint64                 now,
                   SesameCampaignCounts  *counts,
                   GError               **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt;
  guint with = 0;
  int rc;

  /* Read all targets first: the eligibility statement stays open otherwise. */
  stmt = _sesame_campaign_eligibility_prepare (self, campaign, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 8);

      for (int i = 0; i < 7; i++)
        row[i] = g_strdup (_sesame_column_text (stmt, i));
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO campaign_recipients (campaign_id, person_key, login, last_name, first_name,"
                                " profile, address, structure, position, state, state_changed_at, reply)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      const char *email = row[SESAME_ELIGIBLE_EMAIL];
      gboolean valid = sesame_mail_address_is_valid (email);
      g_autofree char *reply = NULL;

      if (!valid && email[0] != '\0')
        reply = g_strdup_printf (_("“%s” is not a valid email address."), email);
      else if (!valid)
        reply = g_strdup (_("No email address in the directory."));

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, row[SESAME_ELIGIBLE_KEY], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, row[SESAME_ELIGIBLE_LOGIN], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, row[SESAME_ELIGIBLE_LAST_NAME], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, row[SESAME_ELIGIBLE_FIRST_NAME], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 6, atoi (row[SESAME_ELIGIBLE_PROFILE]));
      sqlite3_bind_text (stmt, 7, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, row[SESAME_ELIGIBLE_STRUCTURE], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 9, i);
      sqlite3_bind_text (stmt, 10, valid ? "waiting" : "no-address", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 11, now);
      sqlite3_bind_text (stmt, 12, reply ? reply : "", -1, SQLITE_TRANSIENT);
      if (!_sesame_store_step_done (self, stmt, error))
        return FALSE;
      with += valid;
    }

  memset (counts, 0, sizeof *counts);
  counts->total = rows->len;
  counts->counts[SESAME_RECIPIENT_WAITING] = with;
  counts->counts[SESAME_RECIPIENT_NO_ADDRESS] = rows->len - with;
  return TRUE;
}

/**
 * sesame_campaigns_create:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared; its id is set on success
 * @error: return location for a #GError
 *
 * Records the campaign and every account it targets, each waiting for its
 * message or, without a usable address, listed for a paper letter.
 * Administrators only. Nothing is sent yet: see #SesameCampaignSender.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_campaigns_create (SesameStore     *self,
                         SesameCampaign  *campaign,
                         GError         **error)
{
  g_autofree char *id = _sesame_new_id ();
  g_autofree char *profiles = NULL;
  g_autofree char *detail = NULL;
  SesameCampaignCounts counts;
  gint64 now = sesame_store_now (self);

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), FALSE);
  g_return_val_if_fail (campaign->id == NULL, FALSE);

  if (!sesame_campaigns_check (self, campaign, error))
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!insert_campaign (self, campaign, id, now, error) ||
      !insert_recipients (self, campaign, id, now, &counts, error))
    goto fail;

  profiles = profiles_to_tokens (campaign->profiles);
  detail = g_strdup_printf ("%s; %s; %u with an address, %u without",
                            profiles, campaign->subject, counts.counts[SESAME_RECIPIENT_WAITING],
                            counts.counts[SESAME_RECIPIENT_NO_ADDRESS]);
  if (!_sesame_store_audit (self, "campaign-create", id, detail, error))
    goto fail;
  if (!_sesame_store_commit (self, error))
    return FALSE;

  _sesame_campaign_set_id (campaign, id);
  _sesame_campaign_set_counts (campaign, &counts);
  _sesame_campaign_set_record (campaign, _sesame_store_operator_name (self),
                               SESAME_CAMPAIGN_STATE_READY, NULL, now, 0, 0, 0);
  return TRUE;

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

/*
 * _sesame_campaigns_count_recipients:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @counts: (out caller-allocates): how its recipients stand
 * @error: return location for a #GError
 *
 * Counts without checking the operator's rights: the callers did.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaigns_count_recipients (SesameStore           *self,
                                    const char            *id,
                                    SesameCampaignCounts  *counts,
                                    GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (counts, 0, sizeof *counts);
  stmt = _sesame_store_prepare (self,
                                "SELECT state, count(*) FROM campaign_recipients WHERE campaign_id = ? GROUP BY state",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameRecipientState state;
      guint n = sqlite3_column_int (stmt, 1);

      if (sesame_campaign_recipient_state_from_token (_sesame_column_text (stmt, 0), &state))
        counts->counts[state] += n;
      counts->total += n;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* Whether the run named in a campaign's row stopped without a word (a
 * crash, a power cut, a closed window), leaving it "sending". */
static gboolean
row_run_died (SesameStore         *self,
              sqlite3_stmt        *stmt,
              SesameCampaignState  state)
{
  return (state == SESAME_CAMPAIGN_STATE_SENDING || state == SESAME_CAMPAIGN_STATE_PAUSED) &&
         sqlite3_column_type (stmt, 12) != SQLITE_NULL &&
         !_sesame_campaign_lease_holder_is_alive (_sesame_column_text (stmt, 13), sqlite3_column_int64 (stmt, 14),
                                                  sqlite3_column_int64 (stmt, 15), sesame_store_now (self));
}

/* A campaign as its row says it stands: a campaign whose run died reads
 * as interrupted. */
static SesameCampaign *
campaign_from_row (SesameStore  *self,
                   sqlite3_stmt *stmt)
{
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_auto(GStrv) classes = NULL;
  SesameCampaignState state = SESAME_CAMPAIGN_STATE_READY;
  const char *last_error = _sesame_column_text (stmt, 10);
  const char *classes_text = _sesame_column_text (stmt, 4);

  campaign->id = g_strdup (_sesame_column_text (stmt, 0));
  g_free (campaign->subject);
  campaign->subject = g_strdup (_sesame_column_text (stmt, 1));
  g_free (campaign->free_text);
  campaign->free_text = g_strdup (_sesame_column_text (stmt, 2));
  campaign->profiles = profiles_from_tokens (_sesame_column_text (stmt, 3));
  if (classes_text[0] != '\0')
    {
      classes = g_strsplit (classes_text, "\n", -1);
      sesame_campaign_set_classes (campaign, (const char * const *) classes);
    }
  sesame_campaign_set_establishment (campaign, _sesame_column_text (stmt, 5));
  sesame_campaign_state_from_token (_sesame_column_text (stmt, 7), &state);

  if (row_run_died (self, stmt, state))
    {
      state = SESAME_CAMPAIGN_STATE_INTERRUPTED;
      last_error = _("Sending stopped unexpectedly (the application closed or the computer stopped). Resume the campaign to send the rest.");
    }

  _sesame_campaign_set_record (campaign, _sesame_column_text (stmt, 6), state, last_error,
                               sqlite3_column_int64 (stmt, 8), sqlite3_column_int64 (stmt, 9),
                               sqlite3_column_int64 (stmt, 11), sqlite3_column_int64 (stmt, 16));
  return g_steal_pointer (&campaign);
}

#define CAMPAIGN_COLUMNS \
  "id, subject, free_text, profiles, classes, establishment, operator, state, created_at, started_at," \
  " last_error, finished_at, run_id, run_host, run_pid, run_heartbeat_at, report_sent_at"

/*
 * _sesame_campaigns_load:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @error: return location for a #GError
 *
 * Reads a campaign, its counts included, without checking the operator's
 * rights: the sender's run checks them on its own connection.
 *
 * Returns: (transfer full): the campaign, or %NULL with @error set
 */
SesameCampaign *
_sesame_campaigns_load (SesameStore  *self,
                        const char   *id,
                        GError      **error)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  SesameCampaignCounts counts;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE id = ? AND deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    campaign = campaign_from_row (self, stmt);
  sqlite3_reset (stmt);

  if (campaign == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("No email campaign has the id “%s”: run “sesamectl diffusion list” to see them."), id);
      return NULL;
    }
  if (!_sesame_campaigns_count_recipients (self, id, &counts, error))
    return NULL;
  _sesame_campaign_set_counts (campaign, &counts);
  return g_steal_pointer (&campaign);
}

/**
 * sesame_campaigns_find:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @error: return location for a #GError
 *
 * Reads one campaign from the store, with its recipients' tally; the
 * operator must be allowed to send mail to its establishment.
 *
 * Returns: (transfer full): the campaign with its counts, or %NULL with
 *   @error set
 */
SesameCampaign *
sesame_campaigns_find (SesameStore  *self,
                       const char   *id,
                       GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  g_autoptr(SesameCampaign) campaign = NULL;

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEND_MAIL, NULL, error))
    return NULL;
  campaign = _sesame_campaigns_load (self, id, error);
  if (campaign == NULL)
    return NULL;
  if (!sesame_store_operator_administers_all (self) &&
      !_sesame_store_check_establishment (self, SESAME_PERMISSION_SEND_MAIL, campaign->establishment, error))
    return NULL;
  return g_steal_pointer (&campaign);
}

/**
 * sesame_campaigns_list:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Lists the campaigns the acting operator may see, with their recipients'
 * tally; administrators of some establishments see only theirs.
 *
 * Returns: (transfer full) (element-type SesameCampaign): the campaigns,
 *   newest first, or %NULL with @error set
 */
GPtrArray *
sesame_campaigns_list (SesameStore  *self,
                       GError      **error)
{
  g_autoptr(GPtrArray) campaigns = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) mine = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEND_MAIL, NULL, error))
    return NULL;
  mine = sesame_store_operator_dup_administered_establishments (self);

  stmt = _sesame_store_prepare (self,
                                "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE deleted_at IS NULL"
                                " ORDER BY created_at DESC, rowid DESC",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameCampaign *campaign = campaign_from_row (self, stmt);

      /* Administrators of some establishments see their campaigns only. */
      if (mine == NULL || g_strv_contains ((const char * const *) mine, campaign->establishment))
        g_ptr_array_add (campaigns, campaign);
      else
        g_object_unref (campaign);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return NULL;
    }

  for (guint i = 0; i < campaigns->len; i++)
    {
      SesameCampaign *campaign = g_ptr_array_index (campaigns, i);
      SesameCampaignCounts counts;

      if (!_sesame_campaigns_count_recipients (self, campaign->id, &counts, error))
        return NULL;
      _sesame_campaign_set_counts (campaign, &counts);
    }
  return g_steal_pointer (&campaigns);
}

static char *
dup_classes (SesameStore   *self,
             const char    *person_key,
             SesameProfile  profile)
{
  g_autoptr(GString) classes = g_string_new (NULL);
  sqlite3_stmt *stmt;

  if (profile == SESAME_PROFILE_PARENT)
    stmt = _sesame_store_prepare (self,
                                  "SELECT DISTINCT m.code FROM guardians g JOIN memberships m"
                                  " ON m.person_key = g.pupil_key AND m.kind = 'class' AND m.deleted_at IS NULL"
                                  " WHERE g.parent_key = ? AND g.deleted_at IS NULL ORDER BY m.code",
                                  NULL);
  else
    stmt = _sesame_store_prepare (self,
                                  "SELECT DISTINCT code FROM memberships WHERE person_key = ? AND kind = 'class'"
                                  " AND deleted_at IS NULL ORDER BY code",
                                  NULL);
  if (stmt == NULL)
    return g_strdup ("");
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (classes->len > 0)
        g_string_append (classes, ", ");
      g_string_append (classes, _sesame_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  return g_string_free (g_steal_pointer (&classes), FALSE);
}

/**
 * sesame_campaigns_list_recipients:
 * @self: a #SesameStore
 * @id: the campaign's UUID
 * @error: return location for a #GError
 *
 * Lists the recipients of one campaign with where each one stands, for the
 * send report and to follow a run; the same permissions as
 * sesame_campaigns_find() apply.
 *
 * Returns: (transfer full) (element-type SesameCampaignRecipient): the
 *   lines of the send report, in sending order, or %NULL with @error set
 */
GPtrArray *
sesame_campaigns_list_recipients (SesameStore  *self,
                                  const char   *id,
                                  GError      **error)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_campaign_recipient_free);
  g_autoptr(SesameCampaign) campaign = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  campaign = sesame_campaigns_find (self, id, error);
  if (campaign == NULL)
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "SELECT r.person_key, r.login, r.last_name, r.first_name, r.profile, r.address,"
                                " COALESCE (e.uai, ''), r.state, r.attempts, r.reply, r.state_changed_at, r.sent_at"
                                " FROM campaign_recipients r LEFT JOIN establishments e ON e.jointure = r.structure"
                                " WHERE r.campaign_id = ? ORDER BY r.position",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameCampaignRecipient *recipient = g_new0 (SesameCampaignRecipient, 1);

      recipient->person_key = g_strdup (_sesame_column_text (stmt, 0));
      recipient->login = g_strdup (_sesame_column_text (stmt, 1));
      recipient->last_name = g_strdup (_sesame_column_text (stmt, 2));
      recipient->first_name = g_strdup (_sesame_column_text (stmt, 3));
      recipient->profile = sqlite3_column_int (stmt, 4);
      recipient->address = g_strdup (_sesame_column_text (stmt, 5));
      recipient->establishment = g_strdup (_sesame_column_text (stmt, 6));
      sesame_campaign_recipient_state_from_token (_sesame_column_text (stmt, 7), &recipient->state);
      recipient->attempts = sqlite3_column_int (stmt, 8);
      recipient->reply = g_strdup (_sesame_column_text (stmt, 9));
      recipient->changed_at = sqlite3_column_int64 (stmt, 10);
      recipient->sent_at = sqlite3_column_int64 (stmt, 11);
      g_ptr_array_add (recipients, recipient);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return NULL;
    }

  for (guint i = 0; i < recipients->len; i++)
    {
      SesameCampaignRecipient *recipient = g_ptr_array_index (recipients, i);
      recipient->classes = dup_classes (self, recipient->person_key, recipient->profile);
    }
  return g_steal_pointer (&recipients);
}
