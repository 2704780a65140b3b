/* sesame-campaign.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A campaign of the Diffusion des identifiants as an object: whom it
 * targets, what it says, where it stands and how its recipients stand.
 * It knows nothing of SQL: sesame-campaigns.c fills it from the store,
 * sesame-campaign-message.c writes its messages.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>

#include "sesame-campaign-private.h"
#include "sesame-document-language-private.h"

/**
 * SesameCampaign:
 *
 * One mailing of the Diffusion des identifiants: the profiles, classes
 * and establishment it targets, the subject and free text of its
 * message, and, once read from the store, where it and its recipients
 * stand. Prepare one with the setters, then check, count, preview and
 * record it with sesame_campaigns_check(), sesame_campaigns_count(),
 * sesame_campaign_message_preview() and sesame_campaigns_create().
 */
G_DEFINE_FINAL_TYPE (SesameCampaign, sesame_campaign, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SUBJECT,
  PROP_FREE_TEXT,
  PROP_PROFILES,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *token;
  const char *label;
} campaign_states[] = {
  [SESAME_CAMPAIGN_STATE_READY]       = { "ready",       NC_("campaign state", "Ready") },
  [SESAME_CAMPAIGN_STATE_SENDING]     = { "sending",     NC_("campaign state", "Sending") },
  [SESAME_CAMPAIGN_STATE_PAUSED]      = { "paused",      NC_("campaign state", "Paused") },
  [SESAME_CAMPAIGN_STATE_INTERRUPTED] = { "interrupted", NC_("campaign state", "Interrupted") },
  [SESAME_CAMPAIGN_STATE_CANCELLED]   = { "cancelled",   NC_("campaign state", "Cancelled") },
  [SESAME_CAMPAIGN_STATE_FINISHED]    = { "finished",    NC_("campaign state", "Finished") },
};

/**
 * sesame_campaign_state_to_token:
 * @state: a #SesameCampaignState
 *
 * Gives the untranslated name of @state, stable across versions, for the
 * store and for scripts.
 *
 * Returns: the state as the store and sesamectl write it, e.g. "paused"
 */
const char *
sesame_campaign_state_to_token (SesameCampaignState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (campaign_states), "ready");
  return campaign_states[state].token;
}

/**
 * sesame_campaign_state_from_token:
 * @token: (nullable): a state as sesame_campaign_state_to_token() writes it
 * @state: (out): the state, set only on success
 *
 * Parses a campaign state read from the store or given to sesamectl; @state
 * is left untouched when @token is unknown or %NULL.
 *
 * Returns: %TRUE if @token names a state
 */
gboolean
sesame_campaign_state_from_token (const char          *token,
                                  SesameCampaignState *state)
{
  for (guint i = 0; token != NULL && i < G_N_ELEMENTS (campaign_states); i++)
    if (g_str_equal (token, campaign_states[i].token))
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sesame_campaign_state_to_label:
 * @state: a #SesameCampaignState
 *
 * Gives the name of @state to show to the operator, in the interface
 * language.
 *
 * Returns: the state in words, translated, e.g. "Paused"
 */
const char *
sesame_campaign_state_to_label (SesameCampaignState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (campaign_states), "");
  return g_dpgettext2 (GETTEXT_PACKAGE, "campaign state", campaign_states[state].label);
}

static void
sesame_campaign_finalize (GObject *object)
{
  SesameCampaign *self = (SesameCampaign *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->classes, g_strfreev);
  g_clear_pointer (&self->establishment, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->free_text, g_free);
  g_clear_pointer (&self->operator, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (sesame_campaign_parent_class)->finalize (object);
}

static void
sesame_campaign_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SesameCampaign *self = SESAME_CAMPAIGN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_FREE_TEXT:
      g_value_set_string (value, self->free_text);
      break;
    case PROP_PROFILES:
      g_value_set_uint (value, self->profiles);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_campaign_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SesameCampaign *self = SESAME_CAMPAIGN (object);

  switch (prop_id)
    {
    case PROP_SUBJECT:
      sesame_campaign_set_subject (self, g_value_get_string (value));
      break;
    case PROP_FREE_TEXT:
      sesame_campaign_set_free_text (self, g_value_get_string (value));
      break;
    case PROP_PROFILES:
      sesame_campaign_set_profiles (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_campaign_class_init (SesameCampaignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sesame_campaign_finalize;
  object_class->get_property = sesame_campaign_get_property;
  object_class->set_property = sesame_campaign_set_property;

  /**
   * SesameCampaign:id:
   *
   * The campaign's UUID, once the store recorded it.
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * SesameCampaign:subject:
   *
   * The subject of the messages.
   */
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, "", flags);
  /**
   * SesameCampaign:free-text:
   *
   * The operator's own words around the fixed body.
   */
  properties[PROP_FREE_TEXT] = g_param_spec_string ("free-text", NULL, NULL, "", flags);
  /**
   * SesameCampaign:profiles:
   *
   * The targeted profiles, a set of SESAME_PROFILE_BIT().
   */
  properties[PROP_PROFILES] = g_param_spec_uint ("profiles", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /**
   * SesameCampaign:state:
   *
   * The #SesameCampaignState when the campaign was read from the store.
   */
  properties[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, SESAME_CAMPAIGN_STATE_FINISHED, 0,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sesame_campaign_init (SesameCampaign *self)
{
  self->classes = g_new0 (char *, 1);
  self->establishment = g_strdup ("");
  self->subject = g_strdup ("");
  self->free_text = g_strdup ("");
  self->operator = g_strdup ("");
  self->last_error = g_strdup ("");
}

/**
 * sesame_campaign_new:
 *
 * Creates an empty campaign for the operator to fill in; it is not in the
 * store until created there.
 *
 * Returns: (transfer full): a campaign to fill, then check, count, preview
 *   and create with the store
 */
SesameCampaign *
sesame_campaign_new (void)
{
  return g_object_new (SESAME_TYPE_CAMPAIGN, NULL);
}

/**
 * sesame_campaign_get_id:
 * @self: a #SesameCampaign
 *
 * Tells which campaign of the store this object stands for.
 *
 * Returns: (nullable): the campaign's UUID, or %NULL until the store
 *   recorded it
 */
const char *
sesame_campaign_get_id (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return self->id;
}

void
_sesame_campaign_set_id (SesameCampaign *self,
                         const char     *id)
{
  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

/**
 * sesame_campaign_get_profiles:
 * @self: a #SesameCampaign
 *
 * Tells which kinds of accounts (pupils, parents, staff) the campaign writes
 * to.
 *
 * Returns: the targeted profiles, a set of SESAME_PROFILE_BIT()
 */
guint
sesame_campaign_get_profiles (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), 0);
  return self->profiles;
}

/**
 * sesame_campaign_set_profiles:
 * @self: a #SesameCampaign
 * @profiles: the targeted profiles, e.g.
 *   `SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT)`
 *
 * Chooses which kinds of accounts (pupils, parents, staff) the campaign
 * writes to.
 */
void
sesame_campaign_set_profiles (SesameCampaign *self,
                              guint           profiles)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN (self));
  if (self->profiles == profiles)
    return;
  self->profiles = profiles;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILES]);
}

/**
 * sesame_campaign_get_classes:
 * @self: a #SesameCampaign
 *
 * Tells which classes the campaign is narrowed to, as normalised by
 * sesame_campaign_set_classes().
 *
 * Returns: (transfer none) (array zero-terminated=1): the class codes
 *   narrowing the target, empty for all
 */
const char * const *
sesame_campaign_get_classes (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return (const char * const *) self->classes;
}

/**
 * sesame_campaign_set_classes:
 * @self: a #SesameCampaign
 * @classes: (nullable) (array zero-terminated=1): class codes narrowing
 *   the target (a parent through their children), or %NULL for all
 *
 * Narrows the campaign to some classes; codes are trimmed, and empty or
 * repeated ones dropped.
 */
void
sesame_campaign_set_classes (SesameCampaign     *self,
                             const char * const *classes)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_if_fail (SESAME_IS_CAMPAIGN (self));

  for (guint i = 0; classes != NULL && classes[i] != NULL; i++)
    {
      g_autofree char *code = g_strstrip (g_strdup (classes[i]));

      if (code[0] != '\0' && g_hash_table_add (seen, g_strdup (code)))
        g_strv_builder_add (builder, code);
    }
  g_strfreev (self->classes);
  self->classes = g_strv_builder_end (builder);
}

/**
 * sesame_campaign_get_establishment:
 * @self: a #SesameCampaign
 *
 * Tells which establishment the campaign is narrowed to.
 *
 * Returns: the UAI of the establishment targeted, or an empty string for
 *   all
 */
const char *
sesame_campaign_get_establishment (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return self->establishment;
}

/**
 * sesame_campaign_set_establishment:
 * @self: a #SesameCampaign
 * @uai: (nullable): only this establishment's accounts, or %NULL for all
 *
 * Narrows the campaign to the accounts of one establishment; the UAI is
 * stored upper-cased.
 */
void
sesame_campaign_set_establishment (SesameCampaign *self,
                                   const char     *uai)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN (self));
  g_free (self->establishment);
  self->establishment = g_ascii_strup (uai ? uai : "", -1);
}

/**
 * sesame_campaign_get_subject:
 * @self: a #SesameCampaign
 *
 * Gives the subject line every message of the campaign carries.
 *
 * Returns: the subject of the messages, possibly empty
 */
const char *
sesame_campaign_get_subject (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return self->subject;
}

/**
 * sesame_campaign_set_subject:
 * @self: a #SesameCampaign
 * @subject: (nullable): the subject of the messages, one line of at most
 *   75 characters (sesame_campaigns_check() says so), or %NULL for none
 *
 * Sets the subject line every message of the campaign carries;
 * sesame_campaign_message_dup_default_subject() proposes one.
 */
void
sesame_campaign_set_subject (SesameCampaign *self,
                             const char     *subject)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN (self));
  if (g_strcmp0 (self->subject, subject) == 0)
    return;
  g_free (self->subject);
  self->subject = g_strdup (subject ? subject : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBJECT]);
}

/**
 * sesame_campaign_get_free_text:
 * @self: a #SesameCampaign
 *
 * Gives the text the operator added to the fixed body of the messages.
 *
 * Returns: the operator's own words around the fixed body, possibly empty
 */
const char *
sesame_campaign_get_free_text (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return self->free_text;
}

/**
 * sesame_campaign_set_free_text:
 * @self: a #SesameCampaign
 * @free_text: (nullable): the operator's own words around the fixed body,
 *   at most 600 characters, or %NULL for none
 *
 * Sets the text the operator adds to the fixed body of the messages, e.g. a
 * word from the head teacher.
 */
void
sesame_campaign_set_free_text (SesameCampaign *self,
                               const char     *free_text)
{
  g_return_if_fail (SESAME_IS_CAMPAIGN (self));
  if (g_strcmp0 (self->free_text, free_text) == 0)
    return;
  g_free (self->free_text);
  self->free_text = g_strdup (free_text ? free_text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FREE_TEXT]);
}

/**
 * sesame_campaign_get_operator:
 * @self: a #SesameCampaign
 *
 * Tells who recorded the campaign, for the list of campaigns and the send
 * report.
 *
 * Returns: the name of the operator who recorded the campaign, or an
 *   empty string before it is recorded
 */
const char *
sesame_campaign_get_operator (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return self->operator;
}

/**
 * sesame_campaign_get_state:
 * @self: a #SesameCampaign
 *
 * Tells how far sending the campaign had gone when it was read; it is not
 * updated as a sender runs.
 *
 * Returns: where the campaign stood when it was read from the store; a
 *   run that died shows as %SESAME_CAMPAIGN_STATE_INTERRUPTED
 */
SesameCampaignState
sesame_campaign_get_state (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), SESAME_CAMPAIGN_STATE_READY);
  return self->state;
}

/**
 * sesame_campaign_get_last_error:
 * @self: a #SesameCampaign
 *
 * Gives the reason the last run stopped before the end, to show beside an
 * interrupted campaign.
 *
 * Returns: why the campaign was interrupted, or an empty string
 */
const char *
sesame_campaign_get_last_error (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return self->last_error;
}

/**
 * sesame_campaign_get_created_at:
 * @self: a #SesameCampaign
 *
 * Tells when the campaign was recorded in the store.
 *
 * Returns: when the campaign was recorded (Unix time), or 0
 */
gint64
sesame_campaign_get_created_at (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), 0);
  return self->created_at;
}

/**
 * sesame_campaign_get_started_at:
 * @self: a #SesameCampaign
 *
 * Tells when the first message of the campaign was sent.
 *
 * Returns: when sending first started (Unix time), or 0
 */
gint64
sesame_campaign_get_started_at (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), 0);
  return self->started_at;
}

/**
 * sesame_campaign_get_finished_at:
 * @self: a #SesameCampaign
 *
 * Tells when the campaign was done, every recipient being sent, failed,
 * skipped or without an address.
 *
 * Returns: when every recipient last had a final state (Unix time), or 0
 */
gint64
sesame_campaign_get_finished_at (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), 0);
  return self->finished_at;
}

/**
 * sesame_campaign_get_report_sent_at:
 * @self: a #SesameCampaign
 *
 * Tells whether and when the operator received the send report.
 *
 * Returns: when the send report was mailed to the operator (Unix time),
 *   or 0
 */
gint64
sesame_campaign_get_report_sent_at (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), 0);
  return self->report_sent_at;
}

/**
 * sesame_campaign_get_counts:
 * @self: a #SesameCampaign
 *
 * Gives the recipients' tally by state as of the time the campaign was read
 * from the store.
 *
 * Returns: (transfer none): how the recipients stood when the campaign was
 *   read from the store
 */
const SesameCampaignCounts *
sesame_campaign_get_counts (SesameCampaign *self)
{
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);
  return &self->counts;
}

/**
 * sesame_campaign_dup_profiles_label:
 * @self: a #SesameCampaign
 *
 * Describes whom the campaign writes to, for the list of campaigns, in the
 * interface language.
 *
 * Returns: (transfer full): the targeted profiles, e.g. "Pupil, Parent"
 */
char *
sesame_campaign_dup_profiles_label (SesameCampaign *self)
{
  g_autoptr(GString) label = g_string_new (NULL);

  g_return_val_if_fail (SESAME_IS_CAMPAIGN (self), NULL);

  for (SesameProfile p = SESAME_PROFILE_ELEVE; p < SESAME_N_PROFILES; p++)
    if (self->profiles & SESAME_PROFILE_BIT (p))
      {
        if (label->len > 0)
          g_string_append (label, ", ");
        g_string_append (label, sesame_profile_to_label (p));
      }
  return g_string_free (g_steal_pointer (&label), FALSE);
}

void
_sesame_campaign_set_record (SesameCampaign      *self,
                             const char          *operator,
                             SesameCampaignState  state,
                             const char          *last_error,
                             gint64               created_at,
                             gint64               started_at,
                             gint64               finished_at,
                             gint64               report_sent_at)
{
  g_free (self->operator);
  self->operator = g_strdup (operator ? operator : "");
  g_free (self->last_error);
  self->last_error = g_strdup (last_error ? last_error : "");
  self->created_at = created_at;
  self->started_at = started_at;
  self->finished_at = finished_at;
  self->report_sent_at = report_sent_at;
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

void
_sesame_campaign_set_counts (SesameCampaign             *self,
                             const SesameCampaignCounts *counts)
{
  self->counts = *counts;
}
