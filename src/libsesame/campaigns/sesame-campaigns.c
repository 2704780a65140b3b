/* sesame-campaigns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A campaign's questions to the store: whether it may be sent, whom it
 * targets and how many they are, its preview, its creation, and loading
 * and listing campaigns. The campaign object (sesame-campaign.c) knows
 * nothing of SQL; the messages are composed in sesame-campaign-message.c.
 * Only accounts that never signed in, are not disabled and belong to a
 * distributable profile are targeted; academy staff never are, whatever
 * the caller asks.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sesame-campaign-private.h"
#include "sesame-document-language-private.h"
#include "sesame-identifier-files.h"

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

/* Academy staff are never targeted, whatever the caller asks. */
static gboolean
check_profiles (SesameCampaign  *campaign,
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

/* Administrators of some establishments send to those only: a campaign
 * names one of them, theirs when they have only one. */
static gboolean
check_establishment (SesameStore     *self,
                     SesameCampaign  *campaign,
                     GError         **error)
{
  g_auto(GStrv) mine = sesame_store_operator_dup_administered_establishments (self);

  if (mine == NULL)
    return TRUE;
  if (campaign->establishment[0] == '\0')
    {
      g_autofree char *list = NULL;

      if (g_strv_length (mine) == 1)
        {
          sesame_campaign_set_establishment (campaign, mine[0]);
          return TRUE;
        }
      list = g_strjoinv (", ", mine);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("Choose the establishment to send to: you administer %s, not every establishment of the store."),
                   list);
      return FALSE;
    }
  return _sesame_store_check_establishment (self, SESAME_PERMISSION_SEND_MAIL, campaign->establishment, error);
}

/**
 * sesame_campaigns_check:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 * @error: return location for a #GError
 *
 * Checks what the operator chose: the right to send, at least one profile
 * and no academy staff, a subject of one line and at most 75 characters,
 * a free text of at most 600, an ENT address to link to.
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

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEND_MAIL, NULL, error) ||
      !check_establishment (self, campaign, error))
    return FALSE;

  if (!check_profiles (campaign, error))
    return FALSE;

  if (!sesame_mail_check_subject (campaign->subject, error) ||
      !sesame_mail_check_free_text (campaign->free_text, error))
    return FALSE;

  if (campaign->establishment[0] != '\0')
    {
      g_autoptr(SesameEstablishment) establishment = sesame_identifier_files_find_establishment (self, campaign->establishment, error);

      if (establishment == NULL)
        return FALSE;
    }

  ent_url = _sesame_store_dup_ent_url (self, error);
  return ent_url != NULL;
}

/**
 * sesame_campaigns_dup_default_subject:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 *
 * Returns: (transfer full): "<Établissement> - your login details", with
 *   the campaign's establishment, or the store's when it has only one
 */
char *
sesame_campaigns_dup_default_subject (SesameStore    *self,
                                      SesameCampaign *campaign)
{
  g_autoptr(SesameEstablishment) establishment = NULL;
  g_autoptr(GPtrArray) establishments = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), NULL);

  if (campaign->establishment[0] != '\0')
    establishment = sesame_identifier_files_find_establishment (self, campaign->establishment, NULL);
  else
    {
      g_auto(GStrv) mine = sesame_store_operator_dup_administered_establishments (self);

      /* A head of one establishment sends to theirs. */
      if (mine != NULL && g_strv_length (mine) == 1)
        establishment = sesame_identifier_files_find_establishment (self, mine[0], NULL);
      else
        {
          establishments = sesame_identifier_files_list_establishments (self, NULL);
          if (establishments != NULL && establishments->len == 1)
            establishment = sesame_establishment_copy (g_ptr_array_index (establishments, 0));
        }
    }

  /* The families read it: in the document language. */
  _sesame_store_push_document_language (self);
  if (establishment != NULL && establishment->name[0] != '\0')
    {
      /* TRANSLATORS: the default subject of the identifiers email; %s is the
       * establishment. French: « %s - vos identifiants de connexion » */
      subject = g_strdup_printf (_("%s - your login details"), establishment->name);
      if (g_utf8_strlen (subject, -1) > SESAME_MAIL_SUBJECT_MAX_CHARS)
        g_clear_pointer (&subject, g_free);
    }
  if (subject == NULL)
    /* TRANSLATORS: French: « Vos identifiants de connexion à l'ENT » */
    subject = g_strdup (_("Your ENT login details"));
  _sesame_document_language_pop ();
  return g_steal_pointer (&subject);
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

static sqlite3_stmt *
prepare_eligible (SesameStore     *self,
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

/**
 * sesame_campaigns_count:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 * @with_address: (out) (optional): accounts that will receive it
 * @without_address: (out) (optional): accounts with no usable address
 * @error: return location for a #GError
 *
 * Counts the accounts the campaign targets: never signed in, not disabled,
 * of the chosen profiles and classes.
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

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEND_MAIL, NULL, error) ||
      !check_establishment (self, campaign, error) ||
      !check_profiles (campaign, error))
    return FALSE;

  stmt = prepare_eligible (self, campaign, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (sesame_mail_address_is_valid (_sesame_column_text (stmt, 5)))
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

/* The first recipient with an address, for the preview. */
static gboolean
first_recipient (SesameStore     *self,
                 SesameCampaign  *campaign,
                 char           **login,
                 char           **first_name,
                 char           **last_name,
                 char           **address,
                 char           **structure,
                 GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = prepare_eligible (self, campaign, error);
  if (stmt == NULL)
    return FALSE;
  while (!found && sqlite3_step (stmt) == SQLITE_ROW)
    if (sesame_mail_address_is_valid (_sesame_column_text (stmt, 5)))
      {
        *login = g_strdup (_sesame_column_text (stmt, 1));
        *last_name = g_strdup (_sesame_column_text (stmt, 2));
        *first_name = g_strdup (_sesame_column_text (stmt, 3));
        *address = g_strdup (_sesame_column_text (stmt, 5));
        *structure = g_strdup (_sesame_column_text (stmt, 6));
        found = TRUE;
      }
  sqlite3_reset (stmt);

  if (!found)
    g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                         _("No account of this target has an email address and is still waiting for its first sign-in."));
  return found;
}

/* What the preview shows where the token will be: never a real one. */
#define PREVIEW_TOKEN "…"

/**
 * sesame_campaigns_preview:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 * @to: (out) (optional) (transfer full): "Name <address>" of the recipient
 * @error: return location for a #GError
 *
 * Writes the message one real recipient will receive, as it will be sent,
 * except that its link shows no token.
 *
 * Returns: (transfer full): the text of the message, or %NULL with @error
 *   set (%SESAME_ERROR_NOT_FOUND when no recipient has an address)
 */
char *
sesame_campaigns_preview (SesameStore     *self,
                          SesameCampaign  *campaign,
                          char           **to,
                          GError         **error)
{
  g_autofree char *login = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *structure = NULL;
  g_autofree char *ent_url = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_SEND_MAIL, NULL, error) ||
      !check_establishment (self, campaign, error) ||
      !check_profiles (campaign, error))
    return NULL;
  ent_url = _sesame_store_dup_ent_url (self, error);
  if (ent_url == NULL)
    return NULL;
  if (!first_recipient (self, campaign, &login, &first_name, &last_name, &address, &structure, error))
    return NULL;

  if (to != NULL)
    {
      g_autofree char *name = _sesame_person_display_name (first_name, last_name);
      *to = g_strdup_printf ("%s <%s>", name, address);
    }
  return _sesame_campaign_compose_text (self, campaign, login, first_name, last_name, structure, PREVIEW_TOKEN);
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
  g_autofree char *classes = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;
  guint with = 0;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), FALSE);
  g_return_val_if_fail (campaign->id == NULL, FALSE);

  if (!sesame_campaigns_check (self, campaign, error))
    return FALSE;

  profiles = profiles_to_tokens (campaign->profiles);
  classes = g_strjoinv ("\n", campaign->classes);

  if (!_sesame_store_begin (self, error))
    return FALSE;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO campaigns (id, subject, free_text, profiles, classes, establishment,"
                                " operator, operator_key, created_at, state, state_changed_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'ready', ?9)",
                                error);
  if (stmt == NULL)
    goto fail;
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
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;

  /* Read all targets first: the eligibility statement stays open otherwise. */
  stmt = prepare_eligible (self, campaign, error);
  if (stmt == NULL)
    goto fail;
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
      goto fail;
    }

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO campaign_recipients (campaign_id, person_key, login, last_name, first_name,"
                                " profile, address, structure, position, state, state_changed_at, reply)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      gboolean valid = sesame_mail_address_is_valid (row[5]);
      g_autofree char *reply = NULL;

      if (!valid && row[5][0] != '\0')
        reply = g_strdup_printf (_("“%s” is not a valid email address."), row[5]);
      else if (!valid)
        reply = g_strdup (_("No email address in the directory."));

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, row[0], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, row[1], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, row[2], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, row[3], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 6, atoi (row[4]));
      sqlite3_bind_text (stmt, 7, row[5], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, row[6], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 9, i);
      sqlite3_bind_text (stmt, 10, valid ? "waiting" : "no-address", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 11, now);
      sqlite3_bind_text (stmt, 12, reply ? reply : "", -1, SQLITE_TRANSIENT);
      if (!_sesame_store_step_done (self, stmt, error))
        goto fail;
      with += valid;
    }

  detail = g_strdup_printf ("%s; %s; %u with an address, %u without",
                            profiles, campaign->subject, with, rows->len - with);
  if (!_sesame_store_audit (self, "campaign-create", id, detail, error))
    goto fail;
  if (!_sesame_store_commit (self, error))
    return FALSE;

  _sesame_campaign_set_id (campaign, id);
  {
    SesameCampaignCounts counts = { 0 };

    counts.total = rows->len;
    counts.counts[SESAME_RECIPIENT_WAITING] = with;
    counts.counts[SESAME_RECIPIENT_NO_ADDRESS] = rows->len - with;
    _sesame_campaign_set_counts (campaign, &counts);
  }
  _sesame_campaign_set_record (campaign, _sesame_store_operator_name (self),
                               SESAME_CAMPAIGN_STATE_READY, NULL, now, 0, 0, 0);
  return TRUE;

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

gboolean
_sesame_campaign_run_is_alive (const char *run_host,
                               gint64      run_pid,
                               gint64      heartbeat_at,
                               gint64      now)
{
  if (now - heartbeat_at > SESAME_CAMPAIGN_STALE_SECONDS)
    return FALSE;
  /* On this machine, a dead process is known at once. */
  if (g_strcmp0 (run_host, g_get_host_name ()) == 0 && run_pid > 0)
    return kill ((pid_t) run_pid, 0) == 0 || errno == EPERM;
  return TRUE;
}

gboolean
_sesame_store_count_recipients (SesameStore           *self,
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

      if (sesame_recipient_state_from_token (_sesame_column_text (stmt, 0), &state))
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

  /* A run that stopped without a word (a crash, a power cut, a closed
   * window) left its campaign "sending": say what it really is. */
  if ((state == SESAME_CAMPAIGN_STATE_SENDING || state == SESAME_CAMPAIGN_STATE_PAUSED) &&
      sqlite3_column_type (stmt, 12) != SQLITE_NULL &&
      !_sesame_campaign_run_is_alive (_sesame_column_text (stmt, 13), sqlite3_column_int64 (stmt, 14),
                                      sqlite3_column_int64 (stmt, 15), sesame_store_now (self)))
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

SesameCampaign *
_sesame_store_load_campaign (SesameStore  *self,
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
  if (!_sesame_store_count_recipients (self, id, &counts, error))
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
  campaign = _sesame_store_load_campaign (self, id, error);
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

      if (!_sesame_store_count_recipients (self, campaign->id, &counts, error))
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
      sesame_recipient_state_from_token (_sesame_column_text (stmt, 7), &recipient->state);
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
