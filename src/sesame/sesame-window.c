/* sesame-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-application.h"
#include "sesame-window-private.h"

G_DEFINE_FINAL_TYPE (SesameWindow, sesame_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * sesame_window_new:
 * @application: the application
 * @store: the store to work on
 *
 * Returns: (transfer none): a new window
 */
SesameWindow *
sesame_window_new (SesameApplication *application,
                   SesameStore       *store)
{
  g_return_val_if_fail (SESAME_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  return g_object_new (SESAME_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "settings", sesame_application_get_settings (application),
                       NULL);
}

SesameStore *
sesame_window_get_store (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return self->store;
}

/**
 * sesame_window_add_toast:
 * @self: a #SesameWindow
 * @toast: (transfer full): a toast
 *
 * Shows a short message at the bottom of the window.
 */
void
sesame_window_add_toast (SesameWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (SESAME_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * sesame_window_get_mode:
 * @self: a #SesameWindow
 *
 * Returns: "welcome" while the store is being set up, "main" after
 */
const char *
sesame_window_get_mode (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * sesame_window_get_page:
 * @self: a #SesameWindow
 * @name: "files", "diffusion", "roles" or "search"
 *
 * Returns: (transfer none) (nullable): the page
 */
GtkWidget *
sesame_window_get_page (SesameWindow *self,
                        const char   *name)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

const char *
sesame_window_get_visible_page (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
sesame_window_get_welcome_page (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->welcome_page);
}

/**
 * sesame_window_reload:
 * @self: a #SesameWindow
 *
 * Reads the store again, after an import or a change made elsewhere.
 */
void
sesame_window_reload (SesameWindow *self)
{
  g_return_if_fail (SESAME_IS_WINDOW (self));

  sesame_files_page_reload (self->files_page);
  sesame_diffusion_page_reload (self->diffusion_page);
  sesame_roles_page_reload (self->roles_page);
  sesame_search_page_reload (self->search_page);
}

static void
update_operator (SesameWindow *self)
{
  g_autofree char *name = sesame_store_dup_operator_display_name (self->store);
  const char *role;

  if (sesame_store_operator_is_admin (self->store))
    role = _("Administrator: imports the directory, manages identifier files and grants roles.");
  else if (sesame_store_operator_can (self->store, SESAME_PERMISSION_RESET_PASSWORD))
    role = _("Identifier manager: finds people, shows and corrects logins, regenerates passwords.");
  else
    role = _("No role in Sésame: ask an administrator for the identifier manager role.");

  gtk_label_set_label (self->operator_name_label, name);
  gtk_label_set_label (self->operator_role_label, role);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->operator_button), name);
  _sesame_window_update_actions (self);
}

/* Operators of each store on this desk, kept by store id, for a sign-in
 * page to propose the login: it never signs anyone in. */
static void
remember_operator (SesameWindow *self)
{
  g_autoptr(GVariant) operators = g_settings_get_value (self->settings, "operators");
  const char *login = sesame_store_get_operator (self->store);
  const char *id = sesame_store_get_id (self->store);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;

  if (login == NULL || id == NULL)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, operators);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, id))
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", id, login);
  g_settings_set_value (self->settings, "operators", g_variant_builder_end (&builder));
}

void
_sesame_window_show_main (SesameWindow *self)
{
  g_autofree char *page = g_settings_get_string (self->settings, "last-page");

  remember_operator (self);
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  update_operator (self);

  /* Open where the operator can work. */
  if (!sesame_store_operator_is_admin (self->store) || *page == '\0' ||
      adw_view_stack_get_child_by_name (self->view_stack, page) == NULL)
    {
      g_free (page);
      page = g_strdup (sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_FILES)
                       ? "files" : "search");
    }
  adw_view_stack_set_visible_child_name (self->view_stack, page);
  sesame_window_reload (self);
}

static void
welcome_finished_cb (SesameWindow *self)
{
  _sesame_window_show_main (self);
}

static void
start (SesameWindow *self)
{
  if (sesame_store_get_operator (self->store) != NULL)
    {
      _sesame_window_show_main (self);
      return;
    }

  if (sesame_store_is_empty (self->store))
    {
      sesame_welcome_page_start (self->welcome_page, SESAME_WELCOME_STEP_IMPORT);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      _sesame_window_update_actions (self);
      return;
    }

  /* Whoever sits at the desk signs in: a login remembered from the last
   * start proves nothing on a shared computer. */
  sesame_welcome_page_start (self->welcome_page, SESAME_WELCOME_STEP_OPERATOR);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  _sesame_window_update_actions (self);
}

static void
save_window_state (SesameWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0 &&
      adw_view_stack_get_visible_child_name (self->view_stack) != NULL)
    g_settings_set_string (self->settings, "last-page", adw_view_stack_get_visible_child_name (self->view_stack));
  g_settings_apply (self->settings);
}

static gboolean
sesame_window_close_request (GtkWindow *window)
{
  save_window_state (SESAME_WINDOW (window));
  return GTK_WINDOW_CLASS (sesame_window_parent_class)->close_request (window);
}

static void
sesame_window_constructed (GObject *object)
{
  SesameWindow *self = SESAME_WINDOW (object);

  G_OBJECT_CLASS (sesame_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->settings != NULL);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_object_set (self->welcome_page, "store", self->store, NULL);
  g_object_set (self->files_page, "store", self->store, "settings", self->settings, NULL);
  g_object_set (self->roles_page, "store", self->store, NULL);
  g_object_set (self->diffusion_page, "store", self->store, NULL);
  g_object_set (self->search_page, "store", self->store, "settings", self->settings, NULL);

  g_signal_connect_object (self->store, "notify::operator",
                           G_CALLBACK (update_operator), self, G_CONNECT_SWAPPED);

  start (self);
}

static void
sesame_window_finalize (GObject *object)
{
  SesameWindow *self = SESAME_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_window_parent_class)->finalize (object);
}

static void
sesame_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SesameWindow *self = SESAME_WINDOW (object);

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
sesame_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SesameWindow *self = SESAME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_window_class_init (SesameWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sesame_window_constructed;
  object_class->finalize = sesame_window_finalize;
  object_class->get_property = sesame_window_get_property;
  object_class->set_property = sesame_window_set_property;

  window_class->close_request = sesame_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SESAME_TYPE_DIFFUSION_PAGE);
  g_type_ensure (SESAME_TYPE_FILES_PAGE);
  g_type_ensure (SESAME_TYPE_ROLES_PAGE);
  g_type_ensure (SESAME_TYPE_SEARCH_PAGE);
  g_type_ensure (SESAME_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, files_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, diffusion_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, roles_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, search_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, operator_button);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, operator_name_label);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, operator_role_label);
  gtk_widget_class_bind_template_callback (widget_class, welcome_finished_cb);

  _sesame_window_class_actions_init (klass);
}

static void
sesame_window_init (SesameWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
