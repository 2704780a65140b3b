/* sesame-staff-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Picks members of staff: one (who is setting up the store) or several (to
 * grant them a role). Typing searches the directory's teaching and
 * non-teaching staff; in multiple mode the choices stay across searches.
 * Each row says which role its person already holds, so that nobody is
 * granted twice by mistake.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-search-runner.h"
#include "sesame-staff-picker.h"
#include "sesame-ui-util.h"

#define STAFF_LIMIT 200

struct _SesameStaffPicker
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkListBox         *list_box;
  GtkLabel           *status_label;
  GtkLabel           *placeholder_label;

  /* Owned references */
  SesameStore        *store;
  SesameSearchRunner *runner;
  GHashTable         *selected;     /* login → display name */
  GHashTable         *roles;        /* login → the role they hold, to read */

  guint               multiple : 1;
};

G_DEFINE_FINAL_TYPE (SesameStaffPicker, sesame_staff_picker, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MULTIPLE,
  PROP_N_SELECTED,
  N_PROPS
};

enum {
  ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_status (SesameStaffPicker *self)
{
  guint n = g_hash_table_size (self->selected);
  g_autofree char *text = NULL;

  if (self->multiple && n > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u member of staff chosen", "%u members of staff chosen", n), n);
  else if (sesame_search_runner_get_truncated (self->runner))
    text = g_strdup (_("Only the first results are shown: type a name to narrow the list."));
  gtk_label_set_label (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
check_toggled_cb (GtkCheckButton    *check,
                  SesameStaffPicker *self)
{
  const char *login = g_object_get_data (G_OBJECT (check), "login");
  const char *name = g_object_get_data (G_OBJECT (check), "name");

  if (gtk_check_button_get_active (check))
    g_hash_table_replace (self->selected, g_strdup (login), g_strdup (name));
  else
    g_hash_table_remove (self->selected, login);
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SesameStaffPicker *self = user_data;
  SesamePerson *person = item;
  g_autofree char *name = sesame_person_dup_display_name (person);
  g_autofree char *subtitle = NULL;
  const char *establishment = sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME);
  GtkWidget *row;

  if (establishment != NULL && *establishment != '\0')
    /* Translators: a member of staff in a list: "profile · establishment · login" */
    subtitle = g_strdup_printf (_("%s · %s · %s"),
                                sesame_profile_to_label (sesame_person_get_profile (person)),
                                establishment, sesame_person_get_login (person));
  else
    subtitle = g_strdup_printf (_("%s · %s"),
                                sesame_profile_to_label (sesame_person_get_profile (person)),
                                sesame_person_get_login (person));

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  {
    g_autofree char *unbreakable = sesame_unbreakable_name (name);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), unbreakable);
  }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "login", g_strdup (sesame_person_get_login (person)), g_free);

  {
    const char *role = g_hash_table_lookup (self->roles, sesame_person_get_login (person));

    if (role != NULL)
      {
        GtkWidget *label = gtk_label_new (role);

        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
        gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
        gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
        gtk_label_set_xalign (GTK_LABEL (label), 1.0);
        gtk_widget_add_css_class (label, "dim-label");
        gtk_widget_add_css_class (label, "caption");
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      }
  }

  if (self->multiple)
    {
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_hash_table_contains (self->selected, sesame_person_get_login (person)));
      g_object_set_data_full (G_OBJECT (check), "login", g_strdup (sesame_person_get_login (person)), g_free);
      g_object_set_data_full (G_OBJECT (check), "name", g_strdup (name), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
    }
  else
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  return row;
}

static void
run_search (SesameStaffPicker *self)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();

  if (self->runner == NULL)
    return;

  query->text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  query->limit = STAFF_LIMIT;
  sesame_search_runner_search (self->runner, query);
}

static void
search_changed_cb (SesameStaffPicker *self)
{
  if (!self->multiple && g_hash_table_size (self->selected) > 0)
    {
      g_hash_table_remove_all (self->selected);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
    }
  run_search (self);
}

static void
search_activate_cb (SesameStaffPicker *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, 0);

  /* Enter picks the first match when it is the only one. */
  if (row != NULL && gtk_list_box_get_row_at_index (self->list_box, 1) == NULL)
    {
      if (self->multiple)
        gtk_widget_activate (GTK_WIDGET (row));
      else
        {
          gtk_list_box_select_row (self->list_box, row);
          g_signal_emit (self, signals[ACTIVATED], 0);
        }
    }
}

static void
row_selected_cb (SesameStaffPicker *self,
                 GtkListBoxRow     *row)
{
  if (self->multiple)
    return;

  g_hash_table_remove_all (self->selected);
  if (row != NULL)
    g_hash_table_replace (self->selected,
                          g_strdup (g_object_get_data (G_OBJECT (row), "login")),
                          g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

static void
row_activated_cb (SesameStaffPicker *self,
                  GtkListBoxRow     *row)
{
  if (!self->multiple)
    g_signal_emit (self, signals[ACTIVATED], 0);
}

static void
search_failed_cb (SesameStaffPicker  *self,
                  const GError       *error)
{
  gtk_label_set_label (self->placeholder_label, error->message);
}

/* Who already holds a role, as the table of rights says: "Identifier
 * manager · Their classes". Ended roles grant nothing and are left out. */
static void
load_roles (SesameStaffPicker *self)
{
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove_all (self->roles);
  grants = sesame_roles_list (self->store, &error);
  if (grants == NULL)
    {
      g_debug ("The roles of the staff are not shown: %s", error->message);
      return;
    }
  for (guint i = 0; i < grants->len; i++)
    {
      SesameRoleGrant *grant = g_ptr_array_index (grants, i);
      const char *previous;
      char *text;

      if (grant->ended_at != 0 || grant->login == NULL || *grant->login == '\0')
        continue;
      if (g_strcmp0 (grant->role, "admin") == 0)
        text = g_strdup (sesame_role_to_label (grant->role));
      else
        /* Translators: the role a member of staff holds already, and its scope */
        text = g_strdup_printf (_("%s · %s"), sesame_role_to_label (grant->role),
                                sesame_role_scope_to_label (grant->scope));
      /* An administrator's role says more than a manager's. */
      previous = g_hash_table_lookup (self->roles, grant->login);
      if (previous != NULL && g_strcmp0 (grant->role, "admin") != 0)
        {
          g_free (text);
          continue;
        }
      g_hash_table_replace (self->roles, g_strdup (grant->login), text);
    }
}

/**
 * sesame_staff_picker_set_store:
 * @self: a #SesameStaffPicker
 * @store: the store to search
 *
 * Sets the store and lists its staff.
 */
void
sesame_staff_picker_set_store (SesameStaffPicker *self,
                               SesameStore       *store)
{
  static const SesameProfile staff[] = { SESAME_PROFILE_ENSEIGNANT, SESAME_PROFILE_NON_ENSEIGNANT };

  g_return_if_fail (SESAME_IS_STAFF_PICKER (self));
  g_return_if_fail (SESAME_IS_STORE (store));

  if (self->store == store)
    {
      load_roles (self);
      run_search (self);
      return;
    }

  g_set_object (&self->store, store);
  load_roles (self);
  g_clear_object (&self->runner);
  self->runner = sesame_search_runner_new (store);
  sesame_search_runner_set_profiles (self->runner, staff, G_N_ELEMENTS (staff));
  g_signal_connect_object (self->runner, "notify::truncated", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "failed", G_CALLBACK (search_failed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->list_box, sesame_search_runner_get_results (self->runner),
                           create_row, self, NULL);
  run_search (self);
}

/**
 * sesame_staff_picker_set_text:
 * @self: a #SesameStaffPicker
 * @text: what to search for
 *
 * Types @text in the search field.
 */
void
sesame_staff_picker_set_text (SesameStaffPicker *self,
                              const char        *text)
{
  g_return_if_fail (SESAME_IS_STAFF_PICKER (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  run_search (self);
}

/**
 * sesame_staff_picker_get_results:
 * @self: a #SesameStaffPicker
 *
 * Returns: (transfer none) (nullable): the staff listed, #SesamePerson items
 */
GListModel *
sesame_staff_picker_get_results (SesameStaffPicker *self)
{
  g_return_val_if_fail (SESAME_IS_STAFF_PICKER (self), NULL);
  return self->runner ? sesame_search_runner_get_results (self->runner) : NULL;
}

/**
 * sesame_staff_picker_select:
 * @self: a #SesameStaffPicker
 * @login: the login of a member of staff listed
 *
 * Chooses a member of staff, as a click on their row does.
 *
 * Returns: whether @login is listed
 */
gboolean
sesame_staff_picker_select (SesameStaffPicker *self,
                            const char        *login)
{
  g_return_val_if_fail (SESAME_IS_STAFF_PICKER (self), FALSE);

  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, i);

      if (row == NULL)
        return FALSE;
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "login"), login) != 0)
        continue;
      if (self->multiple)
        {
          GtkWidget *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
        }
      else
        gtk_list_box_select_row (self->list_box, row);
      return TRUE;
    }
}

guint
sesame_staff_picker_get_n_selected (SesameStaffPicker *self)
{
  g_return_val_if_fail (SESAME_IS_STAFF_PICKER (self), 0);
  return g_hash_table_size (self->selected);
}

/**
 * sesame_staff_picker_dup_selected:
 * @self: a #SesameStaffPicker
 *
 * Returns: (transfer full): the logins chosen
 */
char **
sesame_staff_picker_dup_selected (SesameStaffPicker *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer login;

  g_return_val_if_fail (SESAME_IS_STAFF_PICKER (self), NULL);

  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &login, NULL))
    g_strv_builder_add (builder, login);
  return g_strv_builder_end (builder);
}

void
sesame_staff_picker_grab_focus (SesameStaffPicker *self)
{
  g_return_if_fail (SESAME_IS_STAFF_PICKER (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
sesame_staff_picker_dispose (GObject *object)
{
  SesameStaffPicker *self = SESAME_STAFF_PICKER (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  g_clear_object (&self->runner);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sesame_staff_picker_parent_class)->dispose (object);
}

static void
sesame_staff_picker_finalize (GObject *object)
{
  SesameStaffPicker *self = SESAME_STAFF_PICKER (object);

  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_pointer (&self->roles, g_hash_table_unref);

  G_OBJECT_CLASS (sesame_staff_picker_parent_class)->finalize (object);
}

static void
sesame_staff_picker_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SesameStaffPicker *self = SESAME_STAFF_PICKER (object);

  switch (prop_id)
    {
    case PROP_MULTIPLE:
      g_value_set_boolean (value, self->multiple);
      break;
    case PROP_N_SELECTED:
      g_value_set_uint (value, g_hash_table_size (self->selected));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_staff_picker_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SesameStaffPicker *self = SESAME_STAFF_PICKER (object);

  switch (prop_id)
    {
    case PROP_MULTIPLE:
      self->multiple = g_value_get_boolean (value);
      gtk_list_box_set_selection_mode (self->list_box,
                                       self->multiple ? GTK_SELECTION_NONE : GTK_SELECTION_SINGLE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_staff_picker_class_init (SesameStaffPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_staff_picker_dispose;
  object_class->finalize = sesame_staff_picker_finalize;
  object_class->get_property = sesame_staff_picker_get_property;
  object_class->set_property = sesame_staff_picker_set_property;

  properties[PROP_MULTIPLE] =
    g_param_spec_boolean ("multiple", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameStaffPicker::activated:
   *
   * In single mode, a member of staff was picked for good (double click or
   * Enter).
   */
  signals[ACTIVATED] =
    g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-staff-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameStaffPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameStaffPicker, list_box);
  gtk_widget_class_bind_template_child (widget_class, SesameStaffPicker, status_label);
  gtk_widget_class_bind_template_child (widget_class, SesameStaffPicker, placeholder_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
sesame_staff_picker_init (SesameStaffPicker *self)
{
  self->selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_selection_mode (self->list_box, GTK_SELECTION_SINGLE);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
}
