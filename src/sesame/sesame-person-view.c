/* sesame-person-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's details: identity, login, profile, classes, guardians or
 * children, addresses and emails, account state and sign-ins, and the
 * history of their account; with the actions of the desk: change the
 * login, regenerate the password, print a slip or a letter. Academy staff
 * get a sentence instead of the account actions.
 *
 * Before any credential the page shows what to check at the desk (a
 * pupil's birth date and class, a parent's children and their classes).
 * The login stays hidden until the operator asks for it, and showing it
 * or regenerating the password asks whether the identity was checked:
 * the answer goes into the audit trail with the action.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-login-dialog.h"
#include "sesame-password-dialog.h"
#include "sesame-notice-sender.h"
#include "sesame-person-view.h"
#include "sesame-persons.h"
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
  AdwPreferencesGroup *desk_group;
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
  GSettings           *settings;    /* the desk's, for printing */
  SesamePerson        *person;
  GPtrArray           *rows;        /* rows added to the groups, to remove */
  GtkLabel            *login_label; /* in a row of rows */
  guint                n_history;
  guint                login_shown : 1;
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
  g_object_set_data (G_OBJECT (row), "value-label", label);
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

  /* The relative's login is a credential: it is shown on their own page,
   * after the identity check. */
  /* Translators: a relative in the details: "profile · state · classes" */
  subtitle = g_strdup_printf (_("%s · %s%s%s"),
                              sesame_profile_to_label (sesame_person_get_profile (person)),
                              login && *login ? sesame_account_state_to_label (sesame_person_get_state (person))
                                              : _("no account"),
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

/* A birth date as the desk reads it: 2007-05-11 is 11/05/2007. */
static char *
format_birth_date (const char *iso)
{
  int year, month, day;
  char rest;

  if (iso == NULL)
    return g_strdup ("");
  if (sscanf (iso, "%4d-%2d-%2d%c", &year, &month, &day, &rest) == 3)
    return g_strdup_printf ("%02d/%02d/%04d", day, month, year);
  return g_strdup (iso);
}

/* The login, hidden until the operator asks for it at the desk. */
static void
add_login_row (SesamePersonView *self)
{
  const char *login = sesame_person_get_login (self->person);
  GtkWidget *row;
  GtkWidget *button;

  self->login_label = NULL;
  if (login == NULL || *login == '\0')
    return;
  row = add_row (self, self->account_group, _("Login"),
                 self->login_shown ? login : _("Hidden"));
  if (row == NULL)
    return;
  self->login_label = g_object_get_data (G_OBJECT (row), "value-label");
  if (self->login_shown)
    return;
  gtk_widget_add_css_class (GTK_WIDGET (self->login_label), "dim-label");
  button = gtk_button_new_with_mnemonic (_("_Show…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Show the login, once the identity of the person is checked"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "person.show-login");
  gtk_widget_set_name (button, "show-login-button");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

/* What to check at the desk before handing out anything: a pupil's birth
 * date and class, a parent's children and their classes. */
static void
fill_desk (SesamePersonView *self,
           GListModel       *relatives)
{
  SesamePerson *person = self->person;
  SesameProfile profile = sesame_person_get_profile (person);
  g_autofree char *birth = format_birth_date (sesame_person_get_field (person, SESAME_PERSON_BIRTH_DATE));
  g_autofree char *classes = sesame_person_dup_classes_label (person);

  add_row (self, self->desk_group, _("Date of Birth"), birth);
  if (profile == SESAME_PROFILE_PARENT)
    {
      for (guint i = 0; relatives != NULL && i < g_list_model_get_n_items (relatives); i++)
        {
          g_autoptr(SesamePerson) child = g_list_model_get_item (relatives, i);
          g_autofree char *name = sesame_person_dup_display_name (child);
          g_autofree char *child_classes = sesame_person_dup_classes_label (child);
          g_autofree char *title = NULL;

          if (sesame_person_get_profile (child) != SESAME_PROFILE_ELEVE)
            continue;
          /* Translators: a parent's child at the desk check, then their classes */
          title = g_strdup_printf (_("Child: %s"), name);
          add_row (self, self->desk_group, title,
                   child_classes && *child_classes ? child_classes : _("Class not known"));
        }
    }
  else
    add_row (self, self->desk_group,
             classes && strchr (classes, ',') != NULL ? _("Classes") : _("Class"), classes);
  gtk_widget_set_visible (GTK_WIDGET (self->desk_group),
                          sesame_person_is_distributable (person) && *sesame_person_get_login (person) != '\0');
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
      g_autofree char *who = NULL;

      when = sesame_format_date_time (entry->at);
      what = sesame_journal_describe_entry (self->store, entry);
      who = sesame_journal_dup_operator_name (self->store, entry);
      /* Translators: a line of history: "date — who" */
      title = g_strdup_printf (_("%s — %s"), when, who);
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

  gtk_widget_action_set_enabled (widget, "person.show-login", has_login && self->person != NULL && !self->login_shown);
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
  g_autofree char *birth = NULL;
  g_autofree char *qualified_key = NULL;
  g_autofree char *subjects = NULL;
  g_auto(GStrv) subject_list = NULL;
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
  add_login_row (self);
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
  birth = format_birth_date (sesame_person_get_field (person, SESAME_PERSON_BIRTH_DATE));
  add_row (self, self->identity_group, _("Date of Birth"), birth);
  add_row (self, self->identity_group, _("Profile"), sesame_profile_to_label (profile));
  add_row (self, self->identity_group, _("National Pupil Number (INE)"), sesame_person_get_field (person, SESAME_PERSON_INE));
  /* As the identifier files write it, with the academy's prefix. */
  qualified_key = sesame_persons_dup_qualified_key (self->store, sesame_person_get_key (person));
  add_row (self, self->identity_group, _("Directory Key"), qualified_key);

  /* Establishment and classes */
  establishment = join_nonempty (" — ", sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME),
                                 sesame_person_get_establishment (person), NULL);
  classes = sesame_person_get_classes (person) ? g_strjoinv (", ", (char **) sesame_person_get_classes (person)) : NULL;
  groups = sesame_person_get_groups (person) ? g_strjoinv (", ", (char **) sesame_person_get_groups (person)) : NULL;
  add_row (self, self->schooling_group, _("Main Establishment"), establishment);
  add_row (self, self->schooling_group, profile == SESAME_PROFILE_PARENT ? _("Children's Classes") : _("Classes"), classes);
  add_row (self, self->schooling_group, _("Groups"), groups);
  subject_list = sesame_accounts_list_subjects_taught (self->store, sesame_person_get_key (person), NULL);
  if (subject_list != NULL && subject_list[0] != NULL)
    subjects = g_strjoinv (", ", subject_list);
  add_row (self, self->schooling_group, _("Subjects Taught"), subjects);
  gtk_widget_set_visible (GTK_WIDGET (self->schooling_group),
                          *establishment || (classes && *classes) || (groups && *groups) || subjects != NULL);

  /* Guardians or children */
  relatives = sesame_accounts_list_relatives (self->store, sesame_person_get_key (person), NULL);
  fill_desk (self, relatives);
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
    {
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
      /* Each person's login waits for their own identity check. */
      self->login_shown = FALSE;
    }
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

/**
 * sesame_person_view_get_login_shown:
 * @self: a #SesamePersonView
 *
 * Returns: whether the login of the person is shown, after the identity
 *   check
 */
gboolean
sesame_person_view_get_login_shown (SesamePersonView *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON_VIEW (self), FALSE);
  return self->login_shown;
}

/**
 * sesame_person_view_focus_first_action:
 * @self: a #SesamePersonView
 *
 * Gives the keyboard focus to the first action of the page (showing the
 * login, else the first account action), so that a person opened from
 * the keyboard is acted upon from the keyboard.
 */
void
sesame_person_view_focus_first_action (SesamePersonView *self)
{
  GtkWidget *candidates[3] = { NULL, NULL, NULL };

  g_return_if_fail (SESAME_IS_PERSON_VIEW (self));

  if (self->login_label != NULL)
    {
      GtkWidget *suffix = gtk_widget_get_next_sibling (GTK_WIDGET (self->login_label));

      if (GTK_IS_BUTTON (suffix))
        candidates[0] = suffix;
    }
  candidates[1] = GTK_WIDGET (self->change_login_row);
  candidates[2] = GTK_WIDGET (self->reset_password_row);
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL && gtk_widget_is_sensitive (candidates[i]) &&
        gtk_widget_is_visible (candidates[i]) && gtk_widget_grab_focus (candidates[i]))
      return;
  gtk_widget_grab_focus (GTK_WIDGET (self->scrolled_window));
}

void
sesame_person_view_set_store (SesamePersonView *self,
                              SesameStore      *store)
{
  g_return_if_fail (SESAME_IS_PERSON_VIEW (self));
  g_set_object (&self->store, store);
}

/**
 * sesame_person_view_set_settings:
 * @self: a #SesamePersonView
 * @settings: (nullable): the desk's settings, where printing keeps the
 *   printer and page setup
 */
void
sesame_person_view_set_settings (SesamePersonView *self,
                                 GSettings        *settings)
{
  g_return_if_fail (SESAME_IS_PERSON_VIEW (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_set_object (&self->settings, settings);
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

/* The identity check */

typedef void (*IdentityFunc) (SesamePersonView *self,
                              gboolean          identity_checked);

typedef struct
{
  SesamePersonView *self;
  IdentityFunc      func;
  GtkCheckButton   *check;
  char             *key;
} IdentityAsk;

static void
identity_ask_free (gpointer data)
{
  IdentityAsk *ask = data;

  g_object_unref (ask->self);
  g_free (ask->key);
  g_free (ask);
}

static void
identity_response (AdwMessageDialog *dialog,
                   const char       *response,
                   IdentityAsk      *ask)
{
  SesamePersonView *self = ask->self;

  /* The answer is about the person it was asked for. */
  if (g_strcmp0 (response, "confirm") != 0 || self->person == NULL ||
      g_strcmp0 (sesame_person_get_key (self->person), ask->key) != 0)
    return;
  ask->func (self, gtk_check_button_get_active (ask->check));
}

/* Asks to confirm an action at the desk, with a box to tick once the
 * identity of the person is checked. */
static void
ask_identity (SesamePersonView *self,
              const char       *heading,
              const char       *body,
              const char       *confirm_label,
              IdentityFunc      func)
{
  GtkWidget *dialog;
  GtkWidget *check;
  IdentityAsk *ask;

  dialog = adw_message_dialog_new (sesame_widget_get_window (GTK_WIDGET (self)), heading, body);
  check = gtk_check_button_new_with_mnemonic (_("_Identity checked"));
  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), check);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  ask = g_new0 (IdentityAsk, 1);
  ask->self = g_object_ref (self);
  ask->func = func;
  ask->check = GTK_CHECK_BUTTON (check);
  ask->key = g_strdup (sesame_person_get_key (self->person));
  g_object_set_data_full (G_OBJECT (dialog), "sesame-identity-ask", ask, identity_ask_free);
  g_signal_connect (dialog, "response", G_CALLBACK (identity_response), ask);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (check);
}

/* Show the login */

static void
show_login_confirmed (SesamePersonView *self,
                      gboolean          identity_checked)
{
  g_autoptr(GError) error = NULL;

  if (!sesame_accounts_record_login_shown (self->store, sesame_person_get_login (self->person),
                                           identity_checked, &error))
    {
      sesame_show_error (GTK_WIDGET (self), _("The Login Cannot Be Shown"), error);
      return;
    }
  self->login_shown = TRUE;
  sesame_person_view_refresh (self);
}

static void
show_login_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (widget);
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  if (self->person == NULL || self->login_shown)
    return;

  name = sesame_person_dup_display_name (self->person);
  body = g_strdup_printf (_("%s. Check the identity of the person before giving them their credentials. "
                            "The journal records whether you did."),
                          name);
  ask_identity (self, _("Show the Login?"), body, _("_Show the Login"), show_login_confirmed);
}

/* Print */

static void
print_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SesamePersonView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sesame_print_letters_finish (result, NULL, &error) && error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sesame_show_refusal (GTK_WIDGET (self), self->store, _("Nothing Was Printed"), error);
  /* A print is a line of the history. */
  sesame_person_view_refresh (self);
}

static void
print_slip_for (SesamePersonView *self,
                const char       *login,
                SesameLetterKind  kind,
                SesamePrintMode   mode)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();

  query->kind = kind;
  query->logins = g_new0 (char *, 2);
  query->logins[0] = g_strdup (login);
  sesame_print_letters_async (GTK_WIDGET (self), self->store, self->settings, query, mode, NULL,
                              NULL, print_done, g_object_ref (self));
}

/* Regenerate the password */

static void
password_printed_cb (SesamePasswordDialog *dialog,
                     SesamePersonView     *self)
{
  sesame_person_view_refresh (self);
}

static void
reset_confirmed (SesamePersonView *self,
                 gboolean          identity_checked)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autoptr(SesamePerson) person = NULL;
  SesamePasswordDialog *dialog;

  person = g_object_ref (self->person);
  password = sesame_accounts_reset_password_checked (self->store, sesame_person_get_login (person),
                                                     identity_checked, &error);
  if (password == NULL)
    {
      sesame_show_error (GTK_WIDGET (self), _("The Password Could Not Be Regenerated"), error);
      return;
    }

  dialog = sesame_password_dialog_new (sesame_widget_get_window (GTK_WIDGET (self)), self->store,
                                       self->settings, person, password);
  g_signal_connect_object (dialog, "printed", G_CALLBACK (password_printed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  memset (password, 0, strlen (password));
  /* The dialog names the login: the page may too. */
  self->login_shown = TRUE;
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
  body = g_strdup_printf (_("%s: the current password stops working at once. "
                            "Check the identity of the person before giving them their credentials."),
                          name);
  ask_identity (self, _("Do you want to create a new password for this user?"), body,
                _("_Create a New Password"), reset_confirmed);
}

/* Print, open */

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesamePersonView *self = SESAME_PERSON_VIEW (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  const char *login;

  if (self->person == NULL)
    return;

  login = sesame_person_get_login (self->person);
  if (g_str_equal (what, "letters"))
    print_slip_for (self, login, SESAME_LETTER_KIND_LETTERS, SESAME_PRINT_MODE_DIALOG);
  else if (g_str_equal (what, "preview"))
    print_slip_for (self, login, SESAME_LETTER_KIND_SLIPS, SESAME_PRINT_MODE_PREVIEW);
  else if (g_str_equal (what, "pdf"))
    print_slip_for (self, login, SESAME_LETTER_KIND_AUTO, SESAME_PRINT_MODE_EXPORT_PDF);
  else
    print_slip_for (self, login, SESAME_LETTER_KIND_SLIPS, SESAME_PRINT_MODE_DIALOG);
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
  g_clear_object (&self->settings);
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
  gtk_widget_class_install_action (widget_class, "person.show-login", NULL, show_login_action);
  gtk_widget_class_install_action (widget_class, "person.print", "s", print_action);
  gtk_widget_class_install_action (widget_class, "person.open", "s", open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "person.print", "s", "slips");

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-person-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, name_label);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, academy_label);
  gtk_widget_class_bind_template_child (widget_class, SesamePersonView, desk_group);
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
