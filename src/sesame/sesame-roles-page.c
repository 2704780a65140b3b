/* sesame-roles-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Rôles": the summary table of rights (who holds which role, with which
 * scope, granted by whom and when, and whether it ended because its
 * holder left). Administrators grant the identifier manager role and
 * remove it, and make a new enrolment code for whoever has not chosen an
 * operator passphrase yet; identifier managers read the table.
 *
 * Names are shown whole, never broken inside ("Jean‑Luc" keeps its
 * hyphen), and the row's buttons come right after the name so that a
 * narrow window still shows them.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-boxed-item.h"
#include "sesame-enrolment-dialog.h"
#include "sesame-grant-window.h"
#include "sesame-roles-page.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

struct _SesameRolesPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkStack       *content_stack;
  GtkLabel       *count_label;
  GtkLabel       *readonly_label;
  GtkButton      *grant_button;
  GtkColumnView  *column_view;

  /* Owned references */
  SesameStore    *store;
  GSettings      *settings;      /* the desk's, for printing enrolment slips */
  GListStore     *grants;
  GCancellable   *cancellable;   /* of the reading in progress */
  GHashTable     *enrolled;      /* logins with an operator passphrase */

  guint           can_manage : 1;
};

G_DEFINE_FINAL_TYPE (SesameRolesPage, sesame_roles_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SesameRoleGrant *
item_grant (gpointer item)
{
  return sesame_boxed_item_get (SESAME_BOXED_ITEM (item));
}

static gpointer
list_roles_in_thread (SesameStore   *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return sesame_roles_list (store, error);
}

static void
load_enrolled (SesameRolesPage *self)
{
  g_auto(GStrv) logins = sesame_operators_dup_logins (self->store);

  g_hash_table_remove_all (self->enrolled);
  for (guint i = 0; logins[i] != NULL; i++)
    g_hash_table_add (self->enrolled, g_strdup (logins[i]));
}

static void
roles_listed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SesameRolesPage) self = user_data;
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GListStore) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  grants = sesame_worker_run_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (grants == NULL)
    {
      g_list_store_remove_all (self->grants);
      gtk_stack_set_visible_child_name (self->content_stack, "denied");
      return;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "roles");
  load_enrolled (self);
  items = sesame_boxed_item_store_from_array (SESAME_TYPE_ROLE_GRANT, grants);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (items)); i++)
    g_ptr_array_add (all, g_list_model_get_item (G_LIST_MODEL (items), i));
  g_list_store_splice (self->grants, 0, g_list_model_get_n_items (G_LIST_MODEL (self->grants)),
                       all->pdata, all->len);

  {
    guint held = 0;

    for (guint i = 0; i < grants->len; i++)
      held += ((SesameRoleGrant *) g_ptr_array_index (grants, i))->ended_at == 0;
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u right granted", "%u rights granted", held), held);
  }
  gtk_label_set_label (self->count_label, count);
}

/**
 * sesame_roles_page_reload:
 * @self: a #SesameRolesPage
 *
 * Reads the table of rights, in a thread (it looks through every person
 * for heads of establishment), and the operator's permissions again.
 */
void
sesame_roles_page_reload (SesameRolesPage *self)
{
  g_return_if_fail (SESAME_IS_ROLES_PAGE (self));

  if (self->store == NULL)
    return;

  self->can_manage = sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_ROLES);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.grant", self->can_manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.revoke", self->can_manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.invite", self->can_manage);
  gtk_widget_set_visible (GTK_WIDGET (self->grant_button), self->can_manage);
  gtk_widget_set_visible (GTK_WIDGET (self->readonly_label), !self->can_manage);

  if (!sesame_store_operator_can (self->store, SESAME_PERMISSION_SEARCH))
    {
      g_list_store_remove_all (self->grants);
      gtk_stack_set_visible_child_name (self->content_stack, "denied");
      return;
    }

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  sesame_worker_run_async (self->store, list_roles_in_thread, NULL, NULL,
                           (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                           roles_listed, g_object_ref (self));
}

/**
 * sesame_roles_page_get_busy:
 * @self: a #SesameRolesPage
 *
 * Returns: whether the table is being read
 */
gboolean
sesame_roles_page_get_busy (SesameRolesPage *self)
{
  g_return_val_if_fail (SESAME_IS_ROLES_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * sesame_roles_page_get_grants:
 * @self: a #SesameRolesPage
 *
 * Returns: (transfer none): the rows of the table, #SesameBoxedItem of
 *   #SesameRoleGrant
 */
GListModel *
sesame_roles_page_get_grants (SesameRolesPage *self)
{
  g_return_val_if_fail (SESAME_IS_ROLES_PAGE (self), NULL);
  return G_LIST_MODEL (self->grants);
}

static void
granted_cb (SesameRolesPage *self)
{
  sesame_roles_page_reload (self);
}

static void
grant_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesameRolesPage *self = SESAME_ROLES_PAGE (widget);
  SesameGrantWindow *window;

  window = sesame_grant_window_new (self->store, self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (window), sesame_widget_get_window (widget));
  g_signal_connect_object (window, "granted", G_CALLBACK (granted_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

typedef struct
{
  SesameRolesPage *self;
  char            *login;
  char            *name;
} Revoke;

static void
revoke_free (gpointer data)
{
  Revoke *revoke = data;

  g_object_unref (revoke->self);
  g_free (revoke->login);
  g_free (revoke->name);
  g_free (revoke);
}

static void
revoke_confirmed (gpointer data)
{
  Revoke *revoke = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!sesame_roles_revoke (revoke->self->store, revoke->login, &error))
    {
      sesame_show_error (GTK_WIDGET (revoke->self), _("The Role Could Not Be Removed"), error);
      return;
    }
  sesame_roles_page_reload (revoke->self);
  message = g_strdup_printf (_("%s is no longer an identifier manager"), revoke->name);
  sesame_show_toast (GTK_WIDGET (revoke->self), message);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameRolesPage *self = SESAME_ROLES_PAGE (widget);
  const char *login = g_variant_get_string (parameter, NULL);
  g_autofree char *body = NULL;
  Revoke *revoke;
  const char *name = login;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->grants)); i++)
    {
      g_autoptr(SesameBoxedItem) item = g_list_model_get_item (G_LIST_MODEL (self->grants), i);
      SesameRoleGrant *grant = sesame_boxed_item_get (item);

      if (g_strcmp0 (grant->login, login) == 0 && g_strcmp0 (grant->role, "manager") == 0)
        name = grant->name;
    }

  revoke = g_new0 (Revoke, 1);
  revoke->self = g_object_ref (self);
  revoke->login = g_strdup (login);
  revoke->name = g_strdup (name);
  /* The name goes in the body, whole: a heading too narrow for a long
   * name would break it inside. */
  {
    g_autofree char *unbreakable = sesame_unbreakable_name (name);

    body = g_strdup_printf (_("%s will no longer be able to find people, change logins or regenerate passwords."),
                            unbreakable);
  }
  sesame_confirm (widget, _("Remove the Identifier Manager Role?"), body,
                  _("_Remove"), TRUE, revoke_confirmed, revoke, revoke_free);
}

/* Cells */

static char *
user_text (gpointer item)
{
  SesameRoleGrant *grant = item_grant (item);
  g_autofree char *name = sesame_unbreakable_name (grant->name);

  if (grant->login == NULL || *grant->login == '\0')
    return g_steal_pointer (&name);
  /* Translators: a member of staff: "First LAST (login)" */
  return g_strdup_printf (_("%s (%s)"), name, grant->login);
}

static char *
establishment_text (gpointer item)
{
  SesameRoleGrant *grant = item_grant (item);
  g_auto(GStrv) lines = NULL;

  if (grant->establishments == NULL)
    return g_strdup ("");
  /* One establishment a line, each name whole. */
  lines = g_strsplit (grant->establishments, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *unbreakable = sesame_unbreakable_name (lines[i]);

      g_free (lines[i]);
      lines[i] = unbreakable;
    }
  return g_strjoinv ("\n", lines);
}

static char *
role_text (gpointer item)
{
  return g_strdup (sesame_role_to_label (item_grant (item)->role));
}

static char *
scope_text (gpointer item)
{
  SesameRoleGrant *grant = item_grant (item);

  if (g_strcmp0 (grant->role, "admin") == 0)
    return g_strdup (grant->scope == SESAME_ROLE_SCOPE_ALL ? _("All establishments")
                                                           : _("Their establishments"));
  return g_strdup (sesame_role_scope_to_label (grant->scope));
}

/* "Held", or why the role ended: its holder left the establishment. */
static char *
status_text (gpointer item)
{
  return sesame_role_grant_dup_status (item_grant (item));
}

static char *
granted_by_text (gpointer item)
{
  SesameRoleGrant *grant = item_grant (item);
  const char *name = grant->granted_by_name ? grant->granted_by_name : grant->granted_by;

  /* An operator's name holds together; the directory or the computer's
   * account are phrases, which wrap as any text. */
  if (g_strcmp0 (name, grant->granted_by) == 0 ||
      g_strcmp0 (name, _("Set-up of Sésame")) == 0 ||
      g_strcmp0 (name, _("This computer's account, without signing in")) == 0)
    return g_strdup (name);
  return sesame_unbreakable_name (name);
}

static char *
granted_at_text (gpointer item)
{
  return sesame_format_date_time (item_grant (item)->granted_at);
}

static void
remove_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_tooltip_text (button, _("Remove the Role"));
  gtk_widget_add_css_class (button, "flat");
  gtk_list_item_set_child (list_item, button);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
remove_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  SesameRolesPage *self = user_data;
  SesameRoleGrant *grant = item_grant (gtk_list_item_get_item (list_item));
  GtkWidget *button = gtk_list_item_get_child (list_item);
  gboolean removable = self->can_manage && g_strcmp0 (grant->role, "manager") == 0 &&
                       grant->login != NULL && *grant->login != '\0';

  /* Administrators hold their role by function or set-up, not by grant.
   * An ended role grants nothing, but its holder may come back to the
   * directory: removing it keeps it from applying again. */
  /* Hidden but still measured, so that every row keeps one height. */
  gtk_widget_set_child_visible (button, removable);
  gtk_widget_set_sensitive (button, removable);
  if (removable)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", grant->login);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "roles.revoke");
    }
}

/* "New Enrolment Code", for whoever holds a role but has no passphrase:
 * they lost their code, or it expired. */
static void
invite_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameRolesPage *self = SESAME_ROLES_PAGE (widget);
  g_autoptr(GPtrArray) enrolments = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_enrolment_free);
  g_autoptr(GError) error = NULL;
  SesameEnrolment *enrolment;

  enrolment = sesame_enrolment_invite_operator (self->store, g_variant_get_string (parameter, NULL), &error);
  if (enrolment == NULL)
    {
      sesame_show_error (widget, _("No Enrolment Code Could Be Made"), error);
      return;
    }
  g_ptr_array_add (enrolments, enrolment);
  sesame_enrolment_dialog_show (widget, self->settings, enrolments);
  sesame_roles_page_reload (self);
}

static void
invite_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *button = gtk_button_new_with_label (_("New Enrolment Code"));

  gtk_widget_set_tooltip_text (button, _("This person has no operator passphrase yet: make a code with which to choose one"));
  gtk_widget_add_css_class (button, "flat");
  gtk_list_item_set_child (list_item, button);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
invite_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  SesameRolesPage *self = user_data;
  SesameRoleGrant *grant = item_grant (gtk_list_item_get_item (list_item));
  GtkWidget *button = gtk_list_item_get_child (list_item);
  gboolean invitable = self->can_manage && grant->login != NULL && *grant->login != '\0' &&
                       !g_hash_table_contains (self->enrolled, grant->login);

  gtk_widget_set_child_visible (button, invitable);
  gtk_widget_set_sensitive (button, invitable);
  if (invitable)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", grant->login);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "roles.invite");
    }
}

static void
append_invite_column (SesameRolesPage *self)
{
  g_autoptr(GtkListItemFactory) invite = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (invite, "setup", G_CALLBACK (invite_setup), NULL);
  g_signal_connect (invite, "bind", G_CALLBACK (invite_bind), self);
  column = gtk_column_view_column_new (NULL, g_object_ref (invite));
  gtk_column_view_append_column (self->column_view, column);
}

static void
setup_columns (SesameRolesPage *self)
{
  g_autoptr(GtkListItemFactory) remove = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GtkColumnViewColumn) remove_column = NULL;
  struct {
    const char         *title;
    SesameCellTextFunc  func;
    gboolean            expand;
  } columns[] = {
    { _("User"), user_text, TRUE },
    { _("Role"), role_text, FALSE },
    { _("Establishment"), establishment_text, TRUE },
    { _("Scope"), scope_text, TRUE },
    { _("Granted By"), granted_by_text, TRUE },
    { _("On"), granted_at_text, FALSE },
    { _("Status"), status_text, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      /* Cells wrap between words rather than being cut. */
      g_autoptr(GtkColumnViewColumn) column = sesame_wrap_column_new (columns[i].title, columns[i].func,
                                                                      FALSE, columns[i].expand);
      gtk_column_view_append_column (self->column_view, column);
      if (i > 0)
        continue;

      /* The row's buttons right after the name: a narrow window shows both. */
      append_invite_column (self);
      g_signal_connect (remove, "setup", G_CALLBACK (remove_setup), NULL);
      g_signal_connect (remove, "bind", G_CALLBACK (remove_bind), self);
      remove_column = gtk_column_view_column_new (NULL, g_object_ref (remove));
      gtk_column_view_append_column (self->column_view, remove_column);
    }

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->grants)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

static void
sesame_roles_page_dispose (GObject *object)
{
  SesameRolesPage *self = SESAME_ROLES_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_roles_page_parent_class)->dispose (object);
}

static void
sesame_roles_page_finalize (GObject *object)
{
  SesameRolesPage *self = SESAME_ROLES_PAGE (object);

  g_clear_object (&self->grants);
  g_clear_pointer (&self->enrolled, g_hash_table_unref);

  G_OBJECT_CLASS (sesame_roles_page_parent_class)->finalize (object);
}

static void
sesame_roles_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SesameRolesPage *self = SESAME_ROLES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_roles_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SesameRolesPage *self = SESAME_ROLES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_roles_page_class_init (SesameRolesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_roles_page_dispose;
  object_class->finalize = sesame_roles_page_finalize;
  object_class->get_property = sesame_roles_page_get_property;
  object_class->set_property = sesame_roles_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SesameRolesPage:settings:
   *
   * The desk's settings, where printing enrolment slips keeps the printer
   * and page setup.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "roles.grant", NULL, grant_action);
  gtk_widget_class_install_action (widget_class, "roles.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "roles.invite", "s", invite_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-roles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameRolesPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameRolesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, SesameRolesPage, readonly_label);
  gtk_widget_class_bind_template_child (widget_class, SesameRolesPage, grant_button);
  gtk_widget_class_bind_template_child (widget_class, SesameRolesPage, column_view);
}

static void
sesame_roles_page_init (SesameRolesPage *self)
{
  self->grants = g_list_store_new (SESAME_TYPE_BOXED_ITEM);
  self->enrolled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_columns (self);
}
