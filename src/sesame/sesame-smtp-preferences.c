/* sesame-smtp-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mail part of the Preferences: the server, its security, the user and
 * its password (to the keyring, never shown back), the sender and the
 * sending rate, and "Send a test message", which reports the server's own
 * answer in words the office understands.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-mail-message.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-preferences.h"
#include "sesame-smtp-settings.h"

struct _SesameSmtpPreferences
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  GtkButton           *save_button;
  AdwEntryRow         *host_row;
  AdwComboRow         *security_row;
  GtkSpinButton       *port_spin;
  AdwEntryRow         *user_row;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow         *from_row;
  AdwEntryRow         *from_name_row;
  GtkSpinButton       *rate_spin;
  AdwEntryRow         *test_to_row;
  GtkLabel            *status_label;

  /* Owned references */
  SesameStore         *store;
  SesameSmtpSettings  *saved;        /* as last read from or written to the store */
  SesameSmtpClient    *client;       /* of the test in progress */
  GCancellable        *cancellable;

  SesameSmtpSecurity   previous_security;
  guint                busy : 1;
  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (SesameSmtpPreferences, sesame_smtp_preferences, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATUS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_status (SesameSmtpPreferences *self,
            const char            *status,
            gboolean               is_error)
{
  gtk_label_set_label (self->status_label, status);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_busy (SesameSmtpPreferences *self,
          gboolean               busy)
{
  gboolean can = self->store != NULL && sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_STORE);

  self->busy = !!busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "smtp.save", can && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "smtp.test", can && !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The settings as the form holds them. */
static SesameSmtpSettings *
settings_from_form (SesameSmtpPreferences *self)
{
  SesameSmtpSettings *settings = sesame_smtp_settings_new ();

  sesame_smtp_settings_set_host (settings, gtk_editable_get_text (GTK_EDITABLE (self->host_row)));
  sesame_smtp_settings_set_security (settings, adw_combo_row_get_selected (self->security_row));
  sesame_smtp_settings_set_port (settings, gtk_spin_button_get_value_as_int (self->port_spin));
  sesame_smtp_settings_set_user (settings, gtk_editable_get_text (GTK_EDITABLE (self->user_row)));
  sesame_smtp_settings_set_from_address (settings, gtk_editable_get_text (GTK_EDITABLE (self->from_row)));
  sesame_smtp_settings_set_from_name (settings, gtk_editable_get_text (GTK_EDITABLE (self->from_name_row)));
  sesame_smtp_settings_set_rate (settings, gtk_spin_button_get_value_as_int (self->rate_spin));
  return settings;
}

static void
password_looked_up (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SesameSmtpPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = sesame_secrets_lookup_smtp_password_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;
  if (error != NULL)
    set_status (self, error->message, TRUE);
  else if (password != NULL)
    set_status (self, _("The password of the mail server is kept in the keyring of this session."), FALSE);
  else
    set_status (self, _("No password is kept in the keyring yet: type it, then save."), FALSE);
  sesame_secrets_free_password (password);
}

static void
load (SesameSmtpPreferences *self)
{
  g_autoptr(GError) error = NULL;
  gboolean can;

  g_clear_object (&self->saved);
  self->saved = sesame_smtp_settings_load (self->store, &error);
  if (self->saved == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), sesame_smtp_settings_get_host (self->saved));
  adw_combo_row_set_selected (self->security_row, sesame_smtp_settings_get_security (self->saved));
  gtk_spin_button_set_value (self->port_spin, sesame_smtp_settings_get_port (self->saved));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), sesame_smtp_settings_get_user (self->saved));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), sesame_smtp_settings_get_from_address (self->saved));
  gtk_editable_set_text (GTK_EDITABLE (self->from_name_row), sesame_smtp_settings_get_from_name (self->saved));
  gtk_spin_button_set_value (self->rate_spin, sesame_smtp_settings_get_rate (self->saved));
  if (gtk_editable_get_text (GTK_EDITABLE (self->test_to_row))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->test_to_row), sesame_smtp_settings_get_from_address (self->saved));
  self->loading = FALSE;

  can = sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_STORE);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_sensitive (child, can);
  set_busy (self, FALSE);

  if (!can)
    set_status (self, _("Only an administrator can change the mail server."), FALSE);
  else if (!sesame_smtp_settings_is_configured (self->saved))
    set_status (self, _("No mail server is set up yet."), FALSE);
  else if (sesame_smtp_settings_get_user (self->saved)[0] != '\0')
    sesame_secrets_lookup_smtp_password_async (sesame_smtp_settings_get_host (self->saved),
                                               sesame_smtp_settings_get_user (self->saved),
                                               self->cancellable, password_looked_up, g_object_ref (self));
  else
    set_status (self, "", FALSE);
}

static void
security_changed (SesameSmtpPreferences *self)
{
  guint security = adw_combo_row_get_selected (self->security_row);

  /* The port follows the security while it is the usual one. */
  if (!self->loading &&
      (guint) gtk_spin_button_get_value_as_int (self->port_spin) ==
        sesame_smtp_security_default_port (self->previous_security))
    gtk_spin_button_set_value (self->port_spin, sesame_smtp_security_default_port (security));
  self->previous_security = security;
}

static void
password_stored (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SesameSmtpPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!sesame_secrets_store_smtp_password_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message, TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  set_status (self, _("Saved. The password is kept in the keyring of this session."), FALSE);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameSmtpPreferences *self = SESAME_SMTP_PREFERENCES (widget);
  g_autoptr(SesameSmtpSettings) settings = settings_from_form (self);
  g_autoptr(GError) error = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *old_host = g_strdup (sesame_smtp_settings_get_host (self->saved));
  g_autofree char *old_user = g_strdup (sesame_smtp_settings_get_user (self->saved));

  if (!sesame_smtp_settings_save (settings, self->store, &error))
    {
      set_status (self, error->message, TRUE);
      return;
    }
  g_set_object (&self->saved, settings);

  /* A password for a server or user no longer used is forgotten. */
  if (old_host[0] != '\0' && old_user[0] != '\0' &&
      (g_strcmp0 (old_host, sesame_smtp_settings_get_host (settings)) != 0 ||
       g_strcmp0 (old_user, sesame_smtp_settings_get_user (settings)) != 0))
    sesame_secrets_clear_smtp_password_async (old_host, old_user, NULL, NULL, NULL);

  if (password[0] != '\0' && sesame_smtp_settings_get_user (settings)[0] != '\0')
    {
      set_busy (self, TRUE);
      set_status (self, _("Keeping the password in the keyring…"), FALSE);
      sesame_secrets_store_smtp_password_async (sesame_smtp_settings_get_host (settings),
                                                sesame_smtp_settings_get_user (settings),
                                                password, self->cancellable,
                                                password_stored, g_object_ref (self));
      return;
    }
  set_status (self, _("Saved."), FALSE);
}

static void
test_sent (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SesameSmtpPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  SesameSmtpClient *client = SESAME_SMTP_CLIENT (object);

  set_busy (self, FALSE);
  if (!sesame_smtp_client_send_message_finish (client, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message, TRUE);
    }
  else
    {
      status = g_strdup_printf (_("The server accepted the test message: %s"),
                                sesame_smtp_client_get_last_reply (client));
      set_status (self, status, FALSE);
    }
  if (self->client == client)
    g_clear_object (&self->client);
}

static void
start_test (SesameSmtpPreferences *self,
            const char            *password)
{
  g_autoptr(SesameSmtpSettings) settings = settings_from_form (self);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->test_to_row));

  g_clear_object (&self->client);
  self->client = sesame_smtp_client_new (settings, password);
  message = sesame_smtp_client_new_test_message (self->client, to, &error);
  if (message == NULL)
    {
      set_busy (self, FALSE);
      set_status (self, error->message, TRUE);
      return;
    }
  set_status (self, _("Sending a test message…"), FALSE);
  sesame_smtp_client_send_message_async (self->client, message, self->cancellable,
                                         test_sent, g_object_ref (self));
}

static void
test_password_looked_up (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(SesameSmtpPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = sesame_secrets_lookup_smtp_password_finish (result, &error);
  if (error != NULL)
    {
      set_busy (self, FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message, TRUE);
      return;
    }
  start_test (self, password);
  sesame_secrets_free_password (password);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameSmtpPreferences *self = SESAME_SMTP_PREFERENCES (widget);
  g_autoptr(SesameSmtpSettings) settings = settings_from_form (self);
  g_autoptr(GError) error = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->test_to_row));

  /* The form as it stands is tried, saved or not. */
  if (!sesame_smtp_settings_validate (settings, &error))
    {
      set_status (self, error->message, TRUE);
      return;
    }
  if (!sesame_mail_address_is_valid (to))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a valid email address."), to);
      set_status (self, message, TRUE);
      return;
    }

  set_busy (self, TRUE);
  if (password[0] != '\0' || sesame_smtp_settings_get_user (settings)[0] == '\0')
    start_test (self, password[0] != '\0' ? password : NULL);
  else
    sesame_secrets_lookup_smtp_password_async (sesame_smtp_settings_get_host (settings),
                                               sesame_smtp_settings_get_user (settings),
                                               self->cancellable, test_password_looked_up,
                                               g_object_ref (self));
}

static void
sesame_smtp_preferences_dispose (GObject *object)
{
  SesameSmtpPreferences *self = (SesameSmtpPreferences *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->saved);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sesame_smtp_preferences_parent_class)->dispose (object);
}

static void
sesame_smtp_preferences_finalize (GObject *object)
{
  SesameSmtpPreferences *self = (SesameSmtpPreferences *) object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sesame_smtp_preferences_parent_class)->finalize (object);
}

static void
sesame_smtp_preferences_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SesameSmtpPreferences *self = SESAME_SMTP_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATUS:
      g_value_set_string (value, sesame_smtp_preferences_get_status (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_smtp_preferences_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  SesameSmtpPreferences *self = SESAME_SMTP_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        {
          if (self->store != NULL)
            load (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_smtp_preferences_class_init (SesameSmtpPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_smtp_preferences_dispose;
  object_class->finalize = sesame_smtp_preferences_finalize;
  object_class->get_property = sesame_smtp_preferences_get_property;
  object_class->set_property = sesame_smtp_preferences_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameSmtpPreferences:status:
   *
   * What the last save or test gave, as shown under the form.
   */
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-smtp-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, save_button);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, host_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, security_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, port_spin);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, user_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, password_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, from_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, from_name_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, test_to_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSmtpPreferences, status_label);

  gtk_widget_class_install_action (widget_class, "smtp.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "smtp.test", NULL, test_action);
}

static void
sesame_smtp_preferences_init (SesameSmtpPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->security_row, "notify::selected",
                           G_CALLBACK (security_changed), self, G_CONNECT_SWAPPED);
  set_busy (self, FALSE);
}

/**
 * sesame_smtp_preferences_new:
 * @store: the store whose mail server to show
 *
 * Returns: (transfer floating): the mail group of the Preferences
 */
GtkWidget *
sesame_smtp_preferences_new (SesameStore *store)
{
  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  return g_object_new (SESAME_TYPE_SMTP_PREFERENCES, "store", store, NULL);
}

const char *
sesame_smtp_preferences_get_status (SesameSmtpPreferences *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_PREFERENCES (self), NULL);
  return gtk_label_get_label (self->status_label);
}

gboolean
sesame_smtp_preferences_get_busy (SesameSmtpPreferences *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_PREFERENCES (self), FALSE);
  return self->busy;
}
