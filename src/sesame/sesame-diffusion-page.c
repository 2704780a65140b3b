/* sesame-diffusion-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Diffusion": the administrator picks the profiles (and an establishment,
 * classes), writes the subject and some words of their own, sees how many
 * accounts will receive the message and the message itself, then sends
 * it. Sending runs in the background with pause and stop; a campaign cut
 * off (the window closed, a crash) is offered for resuming. At the end,
 * the send report and the accounts without an address export as CSV, and
 * their letters print on paper. On a desk joined to a server, the server
 * records and sends the campaign with its own mail server: the page shows
 * its progress as the server tells it, and Stop stops it there.
 *
 * This file holds the widget and its form: the choice of recipients, the
 * subject and the free text with their counters, the permission and mail
 * settings read again, the properties. The count of recipients and the
 * preview are in sesame-diffusion-page-count.c, sending and the resume
 * offer in sesame-diffusion-page-send.c, the report, its exports and the
 * letters in sesame-diffusion-page-report.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-campaign.h"
#include "sesame-campaign-message.h"
#include "sesame-campaign-sender.h"
#include "sesame-diffusion-page-private.h"
#include "sesame-establishments.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-settings.h"
#include "sesame-sync-desk.h"

G_DEFINE_FINAL_TYPE (SesameDiffusionPage, sesame_diffusion_page, ADW_TYPE_BIN)

GParamSpec *_sesame_diffusion_page_properties[N_PROPS];

/* What the operator chose */

static char *
dup_free_text (SesameDiffusionPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->free_text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The UAI chosen, or NULL for every establishment. */
static const char *
selected_establishment (SesameDiffusionPage *self)
{
  guint selected = adw_combo_row_get_selected (self->establishment_row);

  if (self->establishments == NULL || selected == GTK_INVALID_LIST_POSITION || selected == 0 ||
      selected > self->establishments->len)
    return NULL;
  return g_ptr_array_index (self->establishments, selected - 1);
}

/* Lists the store's establishments, keeping the one chosen if it is still
 * there. */
static void
load_establishments (SesameDiffusionPage *self)
{
  g_autoptr(GPtrArray) list = sesame_establishments_list (self->store, NULL);
  g_autofree char *chosen = g_strdup (selected_establishment (self));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint position = 0;

  g_clear_pointer (&self->establishments, g_ptr_array_unref);
  self->establishments = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (names, _("All Establishments"));
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      SesameEstablishment *establishment = g_ptr_array_index (list, i);
      g_autofree char *label = NULL;

      /* TRANSLATORS: an establishment and its UAI, e.g. "Collège Les Aravis (0740017S)" */
      label = g_strdup_printf (_("%s (%s)"), establishment->name[0] ? establishment->name : establishment->uai,
                               establishment->uai);
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->establishments, g_strdup (establishment->uai));
      if (g_strcmp0 (chosen, establishment->uai) == 0)
        position = i + 1;
    }
  adw_combo_row_set_model (self->establishment_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->establishment_row, position);
  /* One establishment: nothing to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self->establishment_row), self->establishments->len > 1);
}

void
_sesame_diffusion_page_read_form (SesameDiffusionPage *self)
{
  g_autofree char *free_text = dup_free_text (self);
  g_auto(GStrv) classes = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->classes_row)), ",", -1);
  guint profiles = 0;

  if (gtk_check_button_get_active (self->eleve_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE);
  if (gtk_check_button_get_active (self->parent_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT);
  if (gtk_check_button_get_active (self->autre_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_AUTRE);
  if (gtk_check_button_get_active (self->collectivite_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_COLLECTIVITE);

  sesame_campaign_set_profiles (self->draft, profiles);
  sesame_campaign_set_classes (self->draft, (const char * const *) classes);
  sesame_campaign_set_establishment (self->draft, selected_establishment (self));
  sesame_campaign_set_subject (self->draft, gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  sesame_campaign_set_free_text (self->draft, free_text);
}

SesameCampaign *
_sesame_diffusion_page_copy_draft (SesameCampaign *draft)
{
  SesameCampaign *copy = sesame_campaign_new ();

  sesame_campaign_set_profiles (copy, sesame_campaign_get_profiles (draft));
  sesame_campaign_set_classes (copy, sesame_campaign_get_classes (draft));
  sesame_campaign_set_establishment (copy, sesame_campaign_get_establishment (draft));
  sesame_campaign_set_subject (copy, sesame_campaign_get_subject (draft));
  sesame_campaign_set_free_text (copy, sesame_campaign_get_free_text (draft));
  return copy;
}

static void
set_counter (GtkLabel   *label,
             const char *text,
             guint       length,
             guint       maximum)
{
  gtk_label_set_label (label, text);
  if (length > maximum)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

void
_sesame_diffusion_page_update_counters (SesameDiffusionPage *self)
{
  const char *subject = sesame_campaign_get_subject (self->draft);
  const char *free_text = sesame_campaign_get_free_text (self->draft);
  guint subject_length = g_utf8_strlen (subject, -1);
  guint text_length = g_utf8_strlen (free_text, -1);
  g_autofree char *subject_text = NULL;
  g_autofree char *free_text_text = NULL;

  /* TRANSLATORS: characters typed / allowed in the subject, e.g. "48 / 75" */
  subject_text = g_strdup_printf (_("%u / %u"), subject_length, SESAME_MAIL_SUBJECT_MAX_CHARS);
  set_counter (self->subject_counter, subject_text, subject_length, SESAME_MAIL_SUBJECT_MAX_CHARS);
  /* TRANSLATORS: French: « %u / %u caractères maximum » */
  free_text_text = g_strdup_printf (_("%u / %u characters at most"), text_length, SESAME_MAIL_FREE_TEXT_MAX_CHARS);
  set_counter (self->free_text_counter, free_text_text, text_length, SESAME_MAIL_FREE_TEXT_MAX_CHARS);
}

void
_sesame_diffusion_page_update_actions (SesameDiffusionPage *self)
{
  gboolean admin = self->store != NULL && sesame_store_operator_can (self->store, SESAME_PERMISSION_SEND_MAIL);
  gboolean sending = self->sender != NULL || self->creating || self->remote;
  gboolean valid = sesame_mail_check_subject (sesame_campaign_get_subject (self->draft), NULL) &&
                   sesame_mail_check_free_text (sesame_campaign_get_free_text (self->draft), NULL);
  gboolean has_report = self->campaign_id != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.send",
                                 admin && !sending && valid && self->smtp_configured && self->counted &&
                                 self->recount_source == 0 && !self->count_failed && self->with_address > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.pause", self->sender != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.cancel", self->sender != NULL || self->remote);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.resume", admin && !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.export-report", admin && has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.export-without-address", admin && has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.print-letters", admin && has_report);
}

/* Proposes the default subject for the establishment chosen, unless the
 * operator wrote their own. */
static void
propose_subject (SesameDiffusionPage *self)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->subject_row));
  g_autofree char *subject = NULL;

  if (current[0] != '\0' && g_strcmp0 (current, self->default_subject) != 0)
    return;
  subject = sesame_campaign_message_dup_default_subject (self->store, self->draft);
  g_free (self->default_subject);
  self->default_subject = g_strdup (subject);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject);
}

static void
establishment_changed (SesameDiffusionPage *self)
{
  if (self->store == NULL)
    return;
  _sesame_diffusion_page_read_form (self);
  propose_subject (self);
  _sesame_diffusion_page_form_changed (self);
}

/**
 * sesame_diffusion_page_reload:
 * @self: a #SesameDiffusionPage
 *
 * Reads the operator's permission, the mail settings, the campaigns and
 * the count of recipients again.
 */
void
sesame_diffusion_page_reload (SesameDiffusionPage *self)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;
  gboolean admin;

  g_return_if_fail (SESAME_IS_DIFFUSION_PAGE (self));

  if (self->store == NULL)
    return;

  admin = sesame_store_operator_can (self->store, SESAME_PERMISSION_SEND_MAIL);
  gtk_stack_set_visible_child_name (self->content_stack, admin ? "main" : "denied");
  if (!admin)
    {
      _sesame_diffusion_page_update_actions (self);
      return;
    }

  settings = sesame_smtp_settings_load (self->store, NULL);
  self->smtp_configured = sesame_sync_desk_is_joined (self->store) ||
                          (settings != NULL && sesame_smtp_settings_is_configured (settings));
  _sesame_diffusion_page_set_count_problem (self, NULL);

  load_establishments (self);
  _sesame_diffusion_page_read_form (self);
  propose_subject (self);

  _sesame_diffusion_page_load_campaigns (self);
  _sesame_diffusion_page_form_changed (self);
}

/**
 * sesame_diffusion_page_refresh:
 * @self: a #SesameDiffusionPage
 *
 * The campaigns may have changed elsewhere (a sync round brought a
 * campaign another desk sent, or how one the server sends stands): reads
 * their list, the report shown and the count of recipients again; the
 * message being written stays as it is.
 */
void
sesame_diffusion_page_refresh (SesameDiffusionPage *self)
{
  g_return_if_fail (SESAME_IS_DIFFUSION_PAGE (self));

  if (self->store == NULL || !sesame_store_operator_can (self->store, SESAME_PERMISSION_SEND_MAIL))
    return;
  _sesame_diffusion_page_load_campaigns (self);
  if (self->campaign_id != NULL)
    _sesame_diffusion_page_show_report (self, self->campaign_id);
  _sesame_diffusion_page_form_changed (self);
}

static void
sesame_diffusion_page_dispose (GObject *object)
{
  SesameDiffusionPage *self = (SesameDiffusionPage *) object;

  g_clear_handle_id (&self->recount_source, g_source_remove);
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  /* A campaign being sent stops between two messages; it resumes later. */
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->draft);
  g_clear_object (&self->sender);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->send_cancellable);

  G_OBJECT_CLASS (sesame_diffusion_page_parent_class)->dispose (object);
}

static void
sesame_diffusion_page_finalize (GObject *object)
{
  SesameDiffusionPage *self = (SesameDiffusionPage *) object;

  g_clear_pointer (&self->campaign_id, g_free);
  g_clear_pointer (&self->establishments, g_ptr_array_unref);
  g_clear_pointer (&self->default_subject, g_free);
  g_clear_pointer (&self->count_problem, g_free);
  g_clear_pointer (&self->report_subject, g_free);

  G_OBJECT_CLASS (sesame_diffusion_page_parent_class)->finalize (object);
}

static void
sesame_diffusion_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, sesame_diffusion_page_get_busy (self));
      break;
    case PROP_SENDING:
      g_value_set_boolean (value, self->sender != NULL || self->remote);
      break;
    case PROP_CAMPAIGN_ID:
      g_value_set_string (value, self->campaign_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A setting changed in the Preferences, on this desk: the mail server,
 * the ENT's name and address in the message, all read again at once. */
static void
setting_changed_cb (SesameDiffusionPage *self,
                    const char          *key)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;

  if (self->store == NULL || !sesame_store_operator_can (self->store, SESAME_PERMISSION_SEND_MAIL))
    return;
  settings = sesame_smtp_settings_load (self->store, NULL);
  self->smtp_configured = sesame_sync_desk_is_joined (self->store) ||
                          (settings != NULL && sesame_smtp_settings_is_configured (settings));
  _sesame_diffusion_page_set_count_problem (self, NULL);
  _sesame_diffusion_page_form_changed (self);
}

static void
sesame_diffusion_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        {
          if (self->store != NULL)
            {
              g_signal_connect_object (self->store, "notify::operator",
                                       G_CALLBACK (sesame_diffusion_page_reload), self, G_CONNECT_SWAPPED);
              g_signal_connect_object (self->store, "setting-changed",
                                       G_CALLBACK (setting_changed_cb), self, G_CONNECT_SWAPPED);
              sesame_diffusion_page_reload (self);
            }
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SETTINGS:
      if (g_set_object (&self->settings, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_diffusion_page_class_init (SesameDiffusionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_diffusion_page_dispose;
  object_class->finalize = sesame_diffusion_page_finalize;
  object_class->get_property = sesame_diffusion_page_get_property;
  object_class->set_property = sesame_diffusion_page_set_property;

  _sesame_diffusion_page_properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameDiffusionPage:settings:
   *
   * The desk's settings, where printing keeps the printer and page setup.
   */
  _sesame_diffusion_page_properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameDiffusionPage:busy:
   *
   * Whether recipients are being counted or messages sent.
   */
  _sesame_diffusion_page_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _sesame_diffusion_page_properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameDiffusionPage:campaign-id:
   *
   * The campaign whose report the page shows, the last one sent by default.
   */
  _sesame_diffusion_page_properties[PROP_CAMPAIGN_ID] =
    g_param_spec_string ("campaign-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _sesame_diffusion_page_properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-diffusion-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, resume_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, resume_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, eleve_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, parent_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, autre_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, collectivite_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, classes_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, establishment_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, subject_counter);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, free_text_view);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, free_text_counter);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, progress_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, report_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, report_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, without_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, campaigns_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, campaigns_list);

  _sesame_diffusion_page_class_send_init (klass);
  _sesame_diffusion_page_class_report_init (klass);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "diffusion.send", NULL);
}

static void
sesame_diffusion_page_init (SesameDiffusionPage *self)
{
  GtkCheckButton *checks[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->draft = sesame_campaign_new ();

  checks[0] = self->eleve_check;
  checks[1] = self->parent_check;
  checks[2] = self->autre_check;
  checks[3] = self->collectivite_check;
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    g_signal_connect_object (checks[i], "toggled", G_CALLBACK (_sesame_diffusion_page_form_changed),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->classes_row, "changed", G_CALLBACK (_sesame_diffusion_page_form_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->establishment_row, "notify::selected", G_CALLBACK (establishment_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->subject_row, "changed", G_CALLBACK (_sesame_diffusion_page_form_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->free_text_view), "changed",
                           G_CALLBACK (_sesame_diffusion_page_form_changed), self, G_CONNECT_SWAPPED);

  _sesame_diffusion_page_update_counters (self);
  _sesame_diffusion_page_update_actions (self);
}

/**
 * sesame_diffusion_page_new:
 * @store: the store to send from
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
sesame_diffusion_page_new (SesameStore *store)
{
  return g_object_new (SESAME_TYPE_DIFFUSION_PAGE, "store", store, NULL);
}

/**
 * sesame_diffusion_page_get_busy:
 * @self: a #SesameDiffusionPage
 *
 * Returns: whether recipients are being counted or messages sent
 */
gboolean
sesame_diffusion_page_get_busy (SesameDiffusionPage *self)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), FALSE);
  return self->recount_source != 0 || self->count_cancellable != NULL || self->sender != NULL ||
         self->creating || self->remote;
}

gboolean
sesame_diffusion_page_get_sending (SesameDiffusionPage *self)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), FALSE);
  return self->sender != NULL || self->remote;
}

/**
 * sesame_diffusion_page_get_progress:
 * @self: a #SesameDiffusionPage
 * @sent: (out) (optional): messages sent so far
 * @total: (out) (optional): messages of the campaign
 * @paused: (out) (optional): whether the operator paused the sending
 *
 * Returns: whether a campaign is being sent (running or paused)
 */
gboolean
sesame_diffusion_page_get_progress (SesameDiffusionPage *self,
                                    guint               *sent,
                                    guint               *total,
                                    gboolean            *paused)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), FALSE);

  if (sent != NULL)
    *sent = self->sender ? sesame_campaign_sender_get_sent (self->sender) : self->remote ? self->remote_sent : 0;
  if (total != NULL)
    *total = self->sender ? sesame_campaign_sender_get_total (self->sender) : self->remote ? self->remote_total : 0;
  if (paused != NULL)
    *paused = self->sender != NULL && sesame_campaign_sender_get_paused (self->sender);
  return self->sender != NULL || self->remote;
}

/**
 * sesame_diffusion_page_get_recipients:
 * @self: a #SesameDiffusionPage
 * @with_address: (out) (optional): accounts that will receive the message
 * @without_address: (out) (optional): accounts without an address
 *
 * The last count of the chosen target.
 */
void
sesame_diffusion_page_get_recipients (SesameDiffusionPage *self,
                                      guint               *with_address,
                                      guint               *without_address)
{
  g_return_if_fail (SESAME_IS_DIFFUSION_PAGE (self));
  if (with_address != NULL)
    *with_address = self->with_address;
  if (without_address != NULL)
    *without_address = self->without_address;
}

const char *
sesame_diffusion_page_get_campaign_id (SesameDiffusionPage *self)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), NULL);
  return self->campaign_id;
}
