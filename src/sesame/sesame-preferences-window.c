/* sesame-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences: the ENT's name and address and the letter's text, the
 * password policy and the delay after which windows lock themselves
 * (settings of the store, shared by every desk, changed by administrators
 * only), and the page setup of this desk. The email page
 * adds its group with sesame_preferences_window_add_mail_group().
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-document-language.h"
#include "sesame-letters.h"
#include "sesame-preferences-window.h"
#include "sesame-print.h"
#include "sesame-ui-util.h"

struct _SesamePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesPage   *general_page;
  AdwPreferencesGroup  *ent_group;
  AdwPreferencesGroup  *letter_group;
  AdwPreferencesGroup  *password_group;
  AdwPreferencesGroup  *lock_group;
  AdwEntryRow          *ent_name_row;
  AdwEntryRow          *ent_url_row;
  AdwActionRow         *ent_name_value_row;
  AdwActionRow         *ent_url_value_row;
  AdwComboRow          *document_language_row;
  GtkTextView          *letter_view;
  GtkSpinButton        *length_spin;
  GtkSpinButton        *expiry_spin;
  GtkSpinButton        *min_length_spin;
  GtkSpinButton        *lock_spin;

  /* Owned references */
  SesameStore          *store;
  GSettings            *settings;

  guint                 policy_timeout;
};

G_DEFINE_FINAL_TYPE (SesamePreferencesWindow, sesame_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
save_setting (SesamePreferencesWindow *self,
              const char              *key,
              const char              *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *current = sesame_store_settings_dup (self->store, key, NULL);

  if (g_strcmp0 (current, value) == 0)
    return;
  if (!sesame_store_settings_set (self->store, key, value, &error))
    sesame_show_error (GTK_WIDGET (self), _("The Setting Could Not Be Saved"), error);
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Saved")));
}

static void
ent_name_apply_cb (SesamePreferencesWindow *self)
{
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ent_name_row))));
  save_setting (self, SESAME_SETTING_ENT_NAME, value);
}

static void
ent_url_apply_cb (SesamePreferencesWindow *self)
{
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ent_url_row))));
  g_autoptr(GError) error = NULL;

  if (*value != '\0' && !g_uri_is_valid (value, G_URI_FLAGS_NONE, &error))
    {
      g_autoptr(GError) explained = g_error_new (SESAME_ERROR, SESAME_ERROR_INVALID,
                                                 _("“%s” is not a web address: write it in full, "
                                                   "for example https://ent.example.org."), value);
      sesame_show_error (GTK_WIDGET (self), _("The Address Is Not Valid"), explained);
      return;
    }
  save_setting (self, SESAME_SETTING_ENT_URL, value);
}

static void
document_language_cb (SesamePreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->document_language_row);
  const char * const *codes = sesame_document_languages ();

  if (selected >= g_strv_length ((char **) codes))
    return;
  save_setting (self, SESAME_SETTING_DOCUMENT_LANGUAGE, codes[selected]);
}

static void
save_letter_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SesamePreferencesWindow *self = SESAME_PREFERENCES_WINDOW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->letter_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  save_setting (self, SESAME_SETTING_LETTER_TEXT, text);
}

static void
default_letter_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SesamePreferencesWindow *self = SESAME_PREFERENCES_WINDOW (widget);

  g_autofree char *text = sesame_letters_dup_default_text (self->store);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->letter_view), text, -1);
}

static void
page_setup_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SesamePreferencesWindow *self = SESAME_PREFERENCES_WINDOW (widget);

  sesame_print_run_page_setup (GTK_WINDOW (self), self->settings);
}

/**
 * sesame_preferences_window_apply:
 * @self: a #SesamePreferencesWindow
 *
 * Saves the password policy now rather than after the short pause that
 * follows a change.
 */
void
sesame_preferences_window_apply (SesamePreferencesWindow *self)
{
  struct {
    const char    *key;
    GtkSpinButton *spin;
  } policy[] = {
    { SESAME_SETTING_PASSWORD_LENGTH, self->length_spin },
    { SESAME_SETTING_PASSWORD_EXPIRY_DAYS, self->expiry_spin },
    { SESAME_SETTING_PASSWORD_MIN_LENGTH, self->min_length_spin },
    { SESAME_SETTING_LOCK_MINUTES, self->lock_spin },
  };

  g_return_if_fail (SESAME_IS_PREFERENCES_WINDOW (self));

  g_clear_handle_id (&self->policy_timeout, g_source_remove);
  if (!sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_STORE))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (policy); i++)
    {
      g_autofree char *value = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (policy[i].spin));
      save_setting (self, policy[i].key, value);
    }
}

static gboolean
policy_timeout_cb (gpointer data)
{
  SesamePreferencesWindow *self = data;

  self->policy_timeout = 0;
  sesame_preferences_window_apply (self);
  return G_SOURCE_REMOVE;
}

static void
policy_changed_cb (SesamePreferencesWindow *self)
{
  /* One audit entry per decision, not one per click on the spin button. */
  g_clear_handle_id (&self->policy_timeout, g_source_remove);
  self->policy_timeout = g_timeout_add (800, policy_timeout_cb, self);
}

static void
load (SesamePreferencesWindow *self)
{
  g_autofree char *name = sesame_store_settings_dup (self->store, SESAME_SETTING_ENT_NAME, "");
  g_autofree char *url = sesame_store_settings_dup (self->store, SESAME_SETTING_ENT_URL, "");
  g_autofree char *letter = sesame_store_settings_dup (self->store, SESAME_SETTING_LETTER_TEXT, NULL);
  g_autofree char *default_letter = sesame_letters_dup_default_text (self->store);
  g_autofree char *language = sesame_store_language_dup (self->store);
  const char * const *codes = sesame_document_languages ();
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);
  gboolean admin = sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_STORE);
  guint selected = 0;

  for (guint i = 0; codes[i] != NULL; i++)
    {
      gtk_string_list_append (languages, sesame_document_language_get_label (codes[i]));
      if (g_str_equal (codes[i], language))
        selected = i;
    }
  adw_combo_row_set_model (self->document_language_row, G_LIST_MODEL (languages));
  adw_combo_row_set_selected (self->document_language_row, selected);
  g_signal_connect_object (self->document_language_row, "notify::selected",
                           G_CALLBACK (document_language_cb), self, G_CONNECT_SWAPPED);

  gtk_editable_set_text (GTK_EDITABLE (self->ent_name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->ent_url_row), url);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->letter_view),
                            letter && *letter ? letter : default_letter, -1);
  gtk_spin_button_set_value (self->length_spin,
                             sesame_store_settings_get_int (self->store, SESAME_SETTING_PASSWORD_LENGTH, 8));
  gtk_spin_button_set_value (self->expiry_spin,
                             sesame_store_settings_get_int (self->store, SESAME_SETTING_PASSWORD_EXPIRY_DAYS, 60));
  gtk_spin_button_set_value (self->min_length_spin,
                             sesame_store_settings_get_int (self->store, SESAME_SETTING_PASSWORD_MIN_LENGTH, 6));
  gtk_spin_button_set_value (self->lock_spin,
                             sesame_store_settings_get_int (self->store, SESAME_SETTING_LOCK_MINUTES,
                                                            SESAME_DEFAULT_LOCK_MINUTES));

  g_signal_connect_object (self->length_spin, "value-changed", G_CALLBACK (policy_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->expiry_spin, "value-changed", G_CALLBACK (policy_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->min_length_spin, "value-changed", G_CALLBACK (policy_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lock_spin, "value-changed", G_CALLBACK (policy_changed_cb), self, G_CONNECT_SWAPPED);

  /* Settings of the store are for administrators; others read them, as
   * values rather than greyed-out fields. */
  gtk_widget_set_visible (GTK_WIDGET (self->ent_name_row), admin);
  gtk_widget_set_visible (GTK_WIDGET (self->ent_url_row), admin);
  gtk_widget_set_visible (GTK_WIDGET (self->ent_name_value_row), !admin);
  gtk_widget_set_visible (GTK_WIDGET (self->ent_url_value_row), !admin);
  adw_action_row_set_subtitle (self->ent_name_value_row,
                               *name != '\0' ? name : _("Not named yet: an administrator names it"));
  adw_action_row_set_subtitle (self->ent_url_value_row,
                               *url != '\0' ? url : _("Not given yet: an administrator gives it"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->document_language_row), admin);
  gtk_text_view_set_editable (self->letter_view, admin);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.save-letter", admin);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.default-letter", admin);
  gtk_widget_set_visible (GTK_WIDGET (self->password_group), admin);
  gtk_widget_set_visible (GTK_WIDGET (self->lock_group), admin);
  if (!admin)
    adw_preferences_group_set_description (self->ent_group,
                                           _("Only an administrator can change the ENT's name, address and letter."));
}

/**
 * sesame_preferences_window_new:
 * @store: the store
 * @settings: (nullable): the desk's settings
 *
 * Returns: (transfer none): a new preferences window
 */
SesamePreferencesWindow *
sesame_preferences_window_new (SesameStore *store,
                               GSettings   *settings)
{
  SesamePreferencesWindow *self;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  self = g_object_new (SESAME_TYPE_PREFERENCES_WINDOW, "modal", TRUE, NULL);
  self->store = g_object_ref (store);
  self->settings = settings ? g_object_ref (settings) : NULL;
  load (self);
  return self;
}

/**
 * sesame_preferences_window_show_field:
 * @self: a #SesamePreferencesWindow
 * @key: a setting of the store: %SESAME_SETTING_ENT_NAME or
 *   %SESAME_SETTING_ENT_URL
 *
 * Shows the field of a setting and puts the keyboard focus in it, for a
 * message that says this setting is missing.
 */
void
sesame_preferences_window_show_field (SesamePreferencesWindow *self,
                                      const char              *key)
{
  GtkWidget *row = NULL;

  g_return_if_fail (SESAME_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (key != NULL);

  /* Administrators get the field, others the value they can read. */
  if (g_str_equal (key, SESAME_SETTING_ENT_URL))
    row = gtk_widget_get_visible (GTK_WIDGET (self->ent_url_row)) ? GTK_WIDGET (self->ent_url_row)
                                                                  : GTK_WIDGET (self->ent_url_value_row);
  else if (g_str_equal (key, SESAME_SETTING_ENT_NAME))
    row = gtk_widget_get_visible (GTK_WIDGET (self->ent_name_row)) ? GTK_WIDGET (self->ent_name_row)
                                                                   : GTK_WIDGET (self->ent_name_value_row);
  if (row == NULL)
    return;

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->general_page);
  gtk_widget_grab_focus (row);
}

/**
 * sesame_preferences_window_add_mail_group:
 * @self: a #SesamePreferencesWindow
 * @group: the group of the email settings
 *
 * Adds the group of the email settings to the page.
 */
void
sesame_preferences_window_add_mail_group (SesamePreferencesWindow *self,
                                          AdwPreferencesGroup     *group)
{
  g_return_if_fail (SESAME_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  adw_preferences_page_add (self->general_page, group);
}

static gboolean
sesame_preferences_window_close_request (GtkWindow *window)
{
  SesamePreferencesWindow *self = SESAME_PREFERENCES_WINDOW (window);

  if (self->policy_timeout != 0)
    sesame_preferences_window_apply (self);
  return GTK_WINDOW_CLASS (sesame_preferences_window_parent_class)->close_request (window);
}

static void
sesame_preferences_window_dispose (GObject *object)
{
  SesamePreferencesWindow *self = SESAME_PREFERENCES_WINDOW (object);

  g_clear_handle_id (&self->policy_timeout, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_preferences_window_parent_class)->dispose (object);
}

static void
sesame_preferences_window_class_init (SesamePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sesame_preferences_window_dispose;
  window_class->close_request = sesame_preferences_window_close_request;

  gtk_widget_class_install_action (widget_class, "preferences.save-letter", NULL, save_letter_action);
  gtk_widget_class_install_action (widget_class, "preferences.default-letter", NULL, default_letter_action);
  gtk_widget_class_install_action (widget_class, "preferences.page-setup", NULL, page_setup_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, general_page);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, ent_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, letter_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, password_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, lock_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, ent_name_row);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, ent_url_row);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, ent_name_value_row);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, ent_url_value_row);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, document_language_row);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, letter_view);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, length_spin);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, expiry_spin);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, min_length_spin);
  gtk_widget_class_bind_template_child (widget_class, SesamePreferencesWindow, lock_spin);
  gtk_widget_class_bind_template_callback (widget_class, ent_name_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, ent_url_apply_cb);
}

static void
sesame_preferences_window_init (SesamePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
