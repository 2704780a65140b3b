/* sesame-person-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's details: identity, login, profile, classes, guardians or
 * children, addresses and emails, account state and sign-ins, and the
 * history of their account; with the actions of the desk: change the
 * login, regenerate the password, print a slip or a letter. Academy staff
 * get a sentence instead of the account actions.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-login-dialog.h"
#include "sesame-password-dialog.h"
#include "sesame-notice-sender.h"
#include "sesame-person-view.h"
#include "sesame-print.h"
#include "sesame-ui-util.h"

#define HISTORY_SHOWN 30

struct _SesamePersonView
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkScrolledWindow   *scrolled_window;
  GtkLabel            *name_label;
  GtkLabel            *subtitle_label;
  GtkLabel            *academy_label;
  AdwPreferencesGroup *account_group;
  AdwPreferencesGroup *actions_group;
  AdwActionRow        *change_login_row;
  AdwActionRow        *reset_password_row;
  AdwPreferencesGroup *identity_group;
  AdwPreferencesGroup *schooling_group;
  AdwPreferencesGroup *relatives_group;
  AdwPreferencesGroup *contact_group;
  AdwPreferencesGroup *history_group;

  /* Owned references */
  SesameStore         *store;
  SesamePerson        *person;
  GPtrArray           *rows;        /* rows added to the groups, to remove */
  guint                n_history;
};

G_DEFINE_FINAL_TYPE (SesamePersonView, sesame_person_view, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_rows (SesamePersonView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = g_object_get_data (G_OBJECT (row), "group");

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
add_row (SesamePersonView    *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;

  if (value == NULL || *value == '\0')
    return NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  label = gtk_label_new (value);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "details-value");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  g_object_set_data (G_OBJECT (row), "group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

static GtkWidget *
add_link_row (SesamePersonView    *self,
              AdwPreferencesGroup *group,
              SesamePerson        *person)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = sesame_person_dup_display_name (person);
  g_autofree char *subtitle = NULL;
  const char *login = sesame_person_get_login (person);
  g_autofree char *classes = sesame_person_dup_classes_label (person);

  /* Translators: a relative in the details: "profile · state · login · classes" */
  subtitle = g_strdup_printf (_("%s · %s · %s%s%s"),
                              sesame_profile_to_label (sesame_person_get_profile (person)),
                              sesame_account_state_to_label (sesame_person_get_state (person)),
                              login && *login ? login : _("no account"),
                              classes && *classes ? " · " : "", classes ? classes : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  /* A relative outside the operator's reach comes by name only. */
  if (*sesame_person_get_key (person) != '\0')
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "person.open");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", sesame_person_get_key (person));
    }
  else
    {
      g_free (subtitle);
      subtitle = g_strdup_printf ("%s · %s", sesame_profile_to_label (sesame_person_get_profile (person)),
                                  _("outside your scope"));
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data (G_OBJECT (row), "group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

static char *
join_nonempty (const char *separator,
               ...)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *part;
  va_list args;

  va_start (args, separator);
  while ((part = va_arg (args, const char *)) != NULL)
    {
      if (*part == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, separator);
      g_string_append (text, part);
    }
  va_end (args);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fill_history (SesamePersonView *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  const char *login = sesame_person_get_login (self->person);
  const char *key = sesame_person_get_key (self->person);
  gboolean whole = sesame_store_operator_can (self->store, SESAME_PERMISSION_VIEW_AUDIT);

  self->n_history = 0;
  adw_preferences_group_set_description (self->history_group,
                                         whole ? NULL : _("What you did yourself on this account."));

  /* Administrators read the whole trail; others their own history. The
   * entries name the person by their login or their key. */
  if (login != NULL && *login != '\0')
    {
      const char *targets[] = { login, key, NULL };

      entries = sesame_audit_list_about (self->store, targets, !whole, HISTORY_SHOWN, NULL);
    }
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      SesameAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *when = NULL;
      g_autofree char *what = NULL;
      g_autofree char *title = NULL;

      when = sesame_format_date_time (entry->at);
      what = sesame_audit_entry_describe (entry);
      /* Translators: a line of history: "date — who" */
      title = g_strdup_printf (_("%s — %s"), when, entry->operator);
      add_row (self, self->history_group, title, what);
      self->n_history++;
    }

  if (self->n_history == 0)
    add_row (self, self->history_group, _("Nothing recorded yet"), " ");
}

static void
update_actions (SesamePersonView *self)
{
  gboolean distributable = self->person != NULL && sesame_person_is_distributable (self->person);
  gboolean has_login = self->person != NULL && *sesame_person_get_login (self->person) != '\0';
  gboolean disabled = self->person != NULL &&
                      sesame_person_get_state (self->person) == SESAME_ACCOUNT_STATE_DISABLED;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_set_visible (GTK_WIDGET (self->academy_label), self->person != NULL && !distributable);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_group), distributable && has_login);

  gtk_widget_action_set_enabled (widget, "person.change-login",
                                 distributable && has_login &&
                                 sesame_store_operator_can (self->store, SESAME_PERMISSION_CHANGE_LOGIN));
  gtk_widget_action_set_enabled (widget, "person.reset-password",
                                 distributable && has_login && !disabled &&
                                 sesame_store_operator_can (self->store, SESAME_PERMISSION_RESET_PASSWORD));
  gtk_widget_action_set_enabled (widget, "person.print",
                                 distributable && has_login && !disabled &&
                                 sesame_store_operator_can (self->store, SESAME_PERMISSION_PRINT));
  adw_action_row_set_subtitle (self->reset_password_row,
                               disabled ? _("The account is disabled: the person has left the establishment")
                                        : _("The person must choose their own at the next sign-in"));
}

static void
fill (SesamePersonView *self)
{
  SesamePerson *person = self->person;
  g_autofree char *name = sesame_person_dup_display_name (person);
  g_autofree char *subtitle = NULL;
  g_autofree char *classes = NULL;
  g_autofree char *groups = NULL;
  g_autofree char *created = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *town = NULL;
  g_autofree char *establishment = NULL;
  g_autofree char *phones = NULL;
  g_autoptr(GListModel) relatives = NULL;
  const char *state_label;
  SesameProfile profile = sesame_person_get_profile (person);

  clear_rows (self);

  gtk_label_set_label (self->name_label, name);
  subtitle = join_nonempty (" · ", sesame_profile_to_label (profile),
                            sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME), NULL);
  gtk_label_set_label (self->subtitle_label, subtitle);

  /* Account */
  state_label = sesame_person_is_distributable (person)
                ? sesame_account_state_to_label (sesame_person_get_state (person))
                : C_("account state", "Academic");
  created = sesame_format_date_time (sesame_person_get_account_created_at (person));
  first = sesame_format_date_time (sesame_person_get_first_sign_in_at (person));
  last = sesame_format_date_time (sesame_person_get_last_sign_in_at (person));
  add_row (self, self->account_group, _("Login"), sesame_person_get_login (person));
  add_row (self, self->account_group, _("State"), state_label);
  if (sesame_person_is_distributable (person) && sesame_person_get_must_change_password (person))
    add_row (self, self->account_group, _("Password"), _("To be changed at the next sign-in"));
  add_row (self, self->account_group, _("Account Created"), created);
  add_row (self, self->account_group, _("First Sign-In"), *first ? first : _("Never"));
  add_row (self, self->account_group, _("Last Sign-In"), *last ? last : _("Never"));

  /* Identity */
  add_row (self, self->identity_group, _("Title"), sesame_person_get_field (person, SESAME_PERSON_TITLE));
  add_row (self, self->identity_group, _("Last Name"), sesame_person_get_last_name (person));
  add_row (self, self->identity_group, _("First Name"), sesame_person_get_first_name (person));
  add_row (self, self->identity_group, _("Birth Name"), sesame_person_get_field (person, SESAME_PERSON_BIRTH_NAME));
  add_row (self, self->identity_group, _("Date of Birth"), sesame_person_get_field (person, SESAME_PERSON_BIRTH_DATE));
  add_row (self, self->identity_group, _("Profile"), sesame_profile_to_label (profile));
  add_row (self, self->identity_group, _("National Pupil Number (INE)"), sesame_person_get_field (person, SESAME_PERSON_INE));
  add_row (self, self->identity_group, _("Directory Key"), sesame_person_get_key (person));

  /* Establishment and classes */
  establishment = join_nonempty (" — ", sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME),
                                 sesame_person_get_establishment (person), NULL);
  classes = sesame_person_get_classes (person) ? g_strjoinv (", ", (char **) sesame_person_get_classes (person)) : NULL;
  groups = sesame_person_get_groups (person) ? g_strjoinv (", ", (char **) sesame_person_get_groups (person)) : NULL;
  add_row (self, self->schooling_group, _("Main Establishment"), establishment);
  add_row (self, self->schooling_group, profile == SESAME_PROFILE_PARENT ? _("Children's Classes") : _("Classes"), classes);
  add_row (self, self->schooling_group, _("Groups"), groups);
  gtk_widget_set_visible (GTK_WIDGET (self->schooling_group), *establishment || (classes && *classes) || (groups && *groups));

  /* Guardians or children */
  relatives = sesame_accounts_list_relatives (self->store, sesame_person_get_key (person), NULL);
  adw_preferences_group_set_title (self->relatives_group,
                                   profile == SESAME_PROFILE_PARENT ? _("Children") : _("Guardians"));
  for (guint i = 0; relatives != NULL && i < g_list_model_get_n_items (relatives); i++)
    {
      g_autoptr(SesamePerson) relative = g_list_model_get_item (relatives, i);
      add_link_row (self, self->relatives_group, relative);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->relatives_group),
                          relatives != NULL && g_list_model_get_n_items (relatives) > 0);

  /* Addresses and emails */
  town = join_nonempty (" ", sesame_person_get_field (person, SESAME_PERSON_POSTAL_CODE),
                        sesame_person_get_field (person, SESAME_PERSON_CITY), NULL);
  phones = join_nonempty (", ", sesame_person_get_field (person, SESAME_PERSON_HOME_PHONE),
                          sesame_person_get_field (person, SESAME_PERSON_WORK_PHONE),
                          sesame_person_get_field (person, SESAME_PERSON_MOBILE), NULL);
  {
    gboolean any = FALSE;

    any |= add_row (self, self->contact_group, _("Address"), sesame_person_get_field (person, SESAME_PERSON_ADDRESS)) != NULL;
    any |= add_row (self, self->contact_group, _("Town"), town) != NULL;
    any |= add_row (self, self->contact_group, _("Country"), sesame_person_get_field (person, SESAME_PERSON_COUNTRY)) != NULL;
    any |= add_row (self, self->contact_group, _("Email"), sesame_person_get_field (person, SESAME_PERSON_EMAIL)) != NULL;
    any |= add_row (self, self->contact_group, _("Phones"), phones) != NULL;
    gtk_widget_set_visible (GTK_WIDGET (self->contact_group), any);
  }

  fill_history (self);
  update_actions (self);
}

/**
 * sesame_person_view_show:
 * @self: a #SesamePersonView
 * @key: a directory key
 * @error: return location for a #GError
 *
 * Shows a person, if the operator may see them.
 *
 * Returns: %TRUE if shown
 */
gboolean
sesame_person_view_show (SesamePersonView  *self,
                         const char        *key,
                         GError           **error)
{
  g_autoptr(SesamePerson) person = NULL;

  g_return_val_if_fail (SESAME_IS_PERSON_VIEW (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  person = sesame_accounts_find_person (self->store, key, error);
  if (person == NULL)
    return FALSE;

  /* Another person starts at the top of their details. */
  if (self->person == NULL || g_strcmp0 (sesame_person_get_key (self->person), sesame_person_get_key (person)) != 0)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  g_set_object (&self->person, person);
  fill (self);
  return TRUE;
}

/**
 * sesame_person_view_refresh:
 * @self: a #SesamePersonView
 *
 * Reads the person shown again.
 */
void
sesame_person_view_refresh (SesamePersonView *self)
{
  g_autofree char *key = NULL;

  g_return_if_fail (SESAME_IS_PERSON_VIEW (self));

  if (self->person == NULL)
    return;
  key = g_strdup (sesame_person_get_key (self->person));
  sesame_person_view_show (self, key, NULL);
}

/**
 * sesame_person_view_get_person:
 * @self: a #SesamePersonView
 *
 * Returns: (transfer none) (nullable): the person shown
 */
SesamePerson *
sesame_person_view_get_person (SesamePersonView *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON_VIEW (self), NULL);
  return self->person;
}

/**
 * sesame_person_view_get_n_history:
 * @self: a #SesamePersonView
 *
 * Returns: the lines of history shown
 */
guint
sesame_person_view_get_n_history (SesamePersonView *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON_VIEW (self), 0);
  return self->n_history;
}

void
sesame_person_view_set_store (SesamePersonView *self,
                              SesameStore      *store)
{
  g_return_if_fail (SESAME_IS_PERSON_VIEW (self));
  g_set_object (&self->store, store);
}

static void
changed (SesamePersonView *self)
{
  sesame_person_view_refresh (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Change the login */

static void
login_response_cb (SesameLoginDialog *dialog,
                   const char        *response,
                   SesamePersonView  *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *new_login = NULL;
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "change") != 0 || self->person == NULL)
    return;

  new_login = g_strdup (sesame_login_dialog_get_login (dialog));
  if (!sesame_accounts_set_login (self->store, sesame_person_get_login (self->person), new_login, &error))
    {
      sesame_show_error (GTK_WIDGET (self), _("The Login Could Not Be Changed"), error);
      return;
    }
  message = g_strdup_printf (_("The login is now %s"), new_login);
  sesame_show_toast (GTK_WIDGET (self), message);
  changed (self);
}

static void
change_login_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (widget);
  SesameLoginDialog *dialog;

  if (self->person == NULL)
    return;
  dialog = sesame_login_dialog_new (sesame_widget_get_window (widget), self->store, self->person);
  g_signal_connect_object (dialog, "response", G_CALLBACK (login_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Regenerate the password */

static void
print_slip_for (GtkWidget   *widget,
                SesameStore *store,
                const char  *login,
                SesameLetterKind kind,
                SesamePrintMode  mode)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();

  query->kind = kind;
  query->logins = g_new0 (char *, 2);
  query->logins[0] = g_strdup (login);
  sesame_print_letters (widget, store, query, mode);
}

static void
password_response_cb (SesamePasswordDialog *dialog,
                      const char           *response,
                      SesamePersonView     *self)
{
  if (g_strcmp0 (response, "print") == 0)
    print_slip_for (GTK_WIDGET (self), self->store, sesame_password_dialog_get_login (dialog),
                    SESAME_LETTER_KIND_SLIPS, SESAME_PRINT_MODE_DIALOG);
}

static void
reset_confirmed (gpointer data)
{
  SesamePersonView *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autoptr(SesamePerson) person = NULL;
  SesamePasswordDialog *dialog;

  if (self->person == NULL)
    return;

  person = g_object_ref (self->person);
  password = sesame_accounts_reset_password (self->store, sesame_person_get_login (person), &error);
  if (password == NULL)
    {
      sesame_show_error (GTK_WIDGET (self), _("The Password Could Not Be Regenerated"), error);
      return;
    }

  dialog = sesame_password_dialog_new (sesame_widget_get_window (GTK_WIDGET (self)), person, password);
  g_signal_connect_object (dialog, "response", G_CALLBACK (password_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  memset (password, 0, strlen (password));
  changed (self);
  /* The operator's copy by email, in the background. */
  sesame_send_notices (GTK_WIDGET (self), self->store);
}

static void
reset_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (widget);
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  if (self->person == NULL)
    return;

  name = sesame_person_dup_display_name (self->person);
  body = g_strdup_printf (_("%s (login: %s). The current password stops working at once."),
                          name, sesame_person_get_login (self->person));
  sesame_confirm (widget, _("Do you want to create a new password for this user?"), body,
                  _("_Create a New Password"), FALSE, reset_confirmed, g_object_ref (self), g_object_unref);
}

/* Print, open */

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (widget);
  const char *what = g_variant_get_string (parameter, NULL);

  if (self->person == NULL)
    return;

  if (g_str_equal (what, "letters"))
    print_slip_for (widget, self->store, sesame_person_get_login (self->person),
                    SESAME_LETTER_KIND_LETTERS, SESAME_PRINT_MODE_DIALOG);
  else if (g_str_equal (what, "preview"))
    print_slip_for (widget, self->store, sesame_person_get_login (self->person),
                    SESAME_LETTER_KIND_SLIPS, SESAME_PRINT_MODE_PREVIEW);
  else if (g_str_equal (what, "pdf"))
    print_slip_for (widget, self->store, sesame_person_get_login (self->person),
                    SESAME_LETTER_KIND_AUTO, SESAME_PRINT_MODE_EXPORT_PDF);
  else
    print_slip_for (widget, self->store, sesame_person_get_login (self->person),
                    SESAME_LETTER_KIND_SLIPS, SESAME_PRINT_MODE_DIALOG);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (!sesame_person_view_show (self, g_variant_get_string (parameter, NULL), &error))
    sesame_show_error (widget, _("This Person Cannot Be Shown"), error);
}

static void
sesame_person_view_dispose (GObject *object)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->person);

  G_OBJECT_CLASS (sesame_person_view_parent_class)->dispose (object);
}

static void
sesame_person_view_finalize (GObject *object)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sesame_person_view_parent_class)->finalize (object);
}

static void
sesame_person_view_class_init (SesamePersonViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_person_view_dispose;
  object_class->finalize = sesame_person_view_finalize;

  /**
   * SesamePersonView::changed:
   *
   * The person's account changed (login, password).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "person.change-login", NULL, change_login_action);
  gtk_widget_class_install_action (widget_class, "person.reset-password", NULL, reset_password_action);
  gtk_widget_class_install_action (widget_class, "person.print", "s", print_action);
  gtk_widget_class_install_action (widget_class, "person.open", "s", open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "person.print", "s", "slips");

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-person-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, name_label);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, academy_label);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, account_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, actions_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, change_login_row);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, reset_password_row);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, identity_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, schooling_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, relatives_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, contact_group);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, history_group);
}

static void
sesame_person_view_init (SesamePersonView *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
