/* sesame-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application: opens the store named on the command line, in
 * SESAME_STORE or the default one, and a window on it. A store named by
 * path that does not exist is not created behind the user's back: a
 * mistyped path would show an empty store as if the directory were lost.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sesame-application.h"
#include "sesame-preferences-window.h"
#include "sesame-smtp-preferences.h"
#include "sesame-welcome-page.h"
#include "sesame-window.h"

struct _SesameApplication
{
  AdwApplication  parent_instance;

  char           *store_path;
  char           *operator_login;

  SesameStore    *store;
  GSettings      *settings;

  /* While a demo directory is tried: the real store, set aside untouched,
   * and the folder of the demo store, removed when the demo is left. */
  SesameStore    *real_store;
  char           *demo_folder;

  /* Asks whether to create a store named by path that does not exist. */
  GtkWidget      *missing_dialog;
};

G_DEFINE_FINAL_TYPE (SesameApplication, sesame_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "store", 's', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The store to open (default: $SESAME_STORE, or the one in your data folder)"), N_("PATH") },
  { "as", 'a', 0, G_OPTION_ARG_STRING, NULL,
    N_("Propose this login on the sign-in page"), N_("LOGIN") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

SesameApplication *
sesame_application_new (const char        *application_id,
                        GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (SESAME_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", "/fr/sesame/Sesame",
                       NULL);
}

/**
 * sesame_application_get_store:
 * @self: a #SesameApplication
 *
 * Returns: (transfer none) (nullable): the store the windows work on
 */
SesameStore *
sesame_application_get_store (SesameApplication *self)
{
  g_return_val_if_fail (SESAME_IS_APPLICATION (self), NULL);
  return self->store;
}

/**
 * sesame_application_set_store:
 * @self: a #SesameApplication
 * @store: the store to work on
 *
 * Sets the store before the first window opens, instead of the one named
 * on the command line.
 */
void
sesame_application_set_store (SesameApplication *self,
                              SesameStore       *store)
{
  g_return_if_fail (SESAME_IS_APPLICATION (self));
  g_return_if_fail (SESAME_IS_STORE (store));

  g_set_object (&self->store, store);
}

/* The installed schema; or, when Sésame runs from its build folder without
 * `meson devenv`, the one compiled beside it in data/. */
static GSettingsSchema *
find_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) uninstalled = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  GSettingsSchema *schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    return schema;

  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      dir = g_path_get_dirname (exe);
      data = g_build_filename (dir, "..", "..", "data", NULL);
      uninstalled = g_settings_schema_source_new_from_directory (data, source, FALSE, NULL);
      if (uninstalled != NULL)
        schema = g_settings_schema_source_lookup (uninstalled, APPLICATION_ID, FALSE);
    }
  if (schema == NULL)
    g_error ("The settings schema %s is not installed: install Sésame, or run it with “meson devenv”.",
             APPLICATION_ID);
  return schema;
}

/**
 * sesame_application_get_settings:
 * @self: a #SesameApplication
 *
 * Returns: (transfer none): the settings of this desk
 */
GSettings *
sesame_application_get_settings (SesameApplication *self)
{
  g_return_val_if_fail (SESAME_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    {
      g_autoptr(GSettingsSchema) schema = find_schema ();

      self->settings = g_settings_new_full (schema, NULL, NULL);
    }
  return self->settings;
}

static int
sesame_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  SesameApplication *self = SESAME_APPLICATION (app);
  const char *path = NULL;
  const char *login = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sesame %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "store", "^&ay", &path))
    {
      g_free (self->store_path);
      self->store_path = g_strdup (path);
    }
  if (g_variant_dict_lookup (options, "as", "&s", &login))
    {
      g_free (self->operator_login);
      self->operator_login = g_strdup (login);
    }

  return G_APPLICATION_CLASS (sesame_application_parent_class)->handle_local_options (app, options);
}

static void
quit_on_response (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  g_application_release (G_APPLICATION (user_data));
}

/* Without a store there is nothing to show: say why and leave. */
static void
show_fatal_error (SesameApplication *self,
                  const char        *heading,
                  const GError      *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_application_hold (G_APPLICATION (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (quit_on_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The store to open: --store, then SESAME_STORE, then the default one. */
static const char *
requested_store_path (SesameApplication *self)
{
  const char *path = self->store_path;

  if (path == NULL || *path == '\0')
    path = g_getenv ("SESAME_STORE");
  if (path != NULL && *path == '\0')
    path = NULL;
  return path;
}

static void
open_window (SesameApplication *self)
{
  GtkWindow *window;

  window = GTK_WINDOW (sesame_window_new (self, self->store));
  /* --as proposes a login on the sign-in page and proves nothing. */
  sesame_window_set_login (SESAME_WINDOW (window), self->operator_login);
  gtk_window_present (window);
}

static void
missing_store_response_cb (AdwMessageDialog  *dialog,
                           const char        *response,
                           SesameApplication *self)
{
  g_autoptr(GError) error = NULL;
  const char *path = requested_store_path (self);

  self->missing_dialog = NULL;

  if (g_str_equal (response, "create"))
    {
      self->store = sesame_store_open_full (path, SESAME_STORE_OPEN_CREATE, &error);
      if (self->store == NULL)
        show_fatal_error (self, _("The Store Cannot Be Created"), error);
      else
        open_window (self);
    }

  g_application_release (G_APPLICATION (self));
}

/* A path given by the user that names no store: perhaps a typo, perhaps a
 * new store on purpose. Ask. */
static void
ask_to_create (SesameApplication *self,
               const char        *path)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("No Store Here"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("There is no Sésame store at %s. Check the path given with --store or in "
                                    "SESAME_STORE, or create a new, empty store there and import the directory into it."),
                                  path);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "quit", _("_Quit"),
                                    "create", _("_Create Store"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_application_hold (G_APPLICATION (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (missing_store_response_cb), self, 0);
  self->missing_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Opens the store, or says why not; returns whether a window may open now. */
static gboolean
ensure_store (SesameApplication *self)
{
  g_autoptr(GError) error = NULL;
  const char *path;

  if (self->store != NULL)
    return TRUE;

  /* The default store is created on the first start; the welcome page
   * then fills it. */
  path = requested_store_path (self);
  self->store = sesame_store_open_full (path, SESAME_STORE_OPEN_NONE, &error);
  if (self->store != NULL)
    return TRUE;

  if (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_NO_STORE))
    ask_to_create (self, path);
  else
    show_fatal_error (self, _("The Store Cannot Be Opened"), error);
  return FALSE;
}

static void
sesame_application_activate (GApplication *app)
{
  SesameApplication *self = SESAME_APPLICATION (app);
  GtkWindow *window;

  if (self->missing_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->missing_dialog));
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL || !SESAME_IS_WINDOW (window))
    {
      if (ensure_store (self))
        open_window (self);
      return;
    }

  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  SesameApplication *self = user_data;
  /* Held: closing the main window destroys the windows it carries (the
   * journal, the preferences) before their turn comes. */
  GList *windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                                     (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  gboolean kept_open = FALSE;

  /* Closing the windows lets each save its state first; a window sending
   * a campaign asks before it closes, and the application quits when the
   * last window is gone. */
  for (GList *l = windows; l != NULL; l = l->next)
    {
      gtk_window_close (l->data);
      kept_open |= SESAME_IS_WINDOW (l->data) && gtk_widget_get_visible (l->data);
    }
  g_list_free_full (windows, g_object_unref);
  if (!kept_open)
    g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  SesameApplication *self = user_data;
  static const char *developers[] = { N_("The Sésame contributors"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Sésame"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Hands out ENT accounts to pupils and parents, and helps the school office "
                                      "when someone has lost their login or password."),
                        "developer-name", _(developers[0]),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static SesamePreferencesWindow *
open_preferences (SesameApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SesamePreferencesWindow *preferences;

  if (self->store == NULL)
    return NULL;
  /* Nobody is at work before signing in, nor while the window is locked. */
  if (SESAME_IS_WINDOW (parent) && g_strcmp0 (sesame_window_get_mode (SESAME_WINDOW (parent)), "main") != 0)
    return NULL;

  preferences = sesame_preferences_window_new (self->store, sesame_application_get_settings (self));
  sesame_preferences_window_add_mail_group (preferences, ADW_PREFERENCES_GROUP (sesame_smtp_preferences_new (self->store)));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
  return preferences;
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  open_preferences (user_data);
}

/* The preferences opened at one setting, e.g. "ent-url" when a print was
 * refused for the lack of it. */
static void
show_preferences_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  SesamePreferencesWindow *preferences = open_preferences (user_data);

  if (preferences != NULL)
    sesame_preferences_window_show_field (preferences, g_variant_get_string (parameter, NULL));
}

/**
 * sesame_application_is_demo_store:
 * @self: a #SesameApplication
 * @store: a store
 *
 * Whether @store is the demo store, opened to try Sésame with a made-up
 * directory while the real store stays untouched.
 *
 * Returns: %TRUE for the demo store
 */
gboolean
sesame_application_is_demo_store (SesameApplication *self,
                                  SesameStore       *store)
{
  g_return_val_if_fail (SESAME_IS_APPLICATION (self), FALSE);

  return self->demo_folder != NULL && store != NULL && store == self->store;
}

/* One window on the store in use, instead of the ones open. */
static SesameWindow *
replace_windows (SesameApplication *self)
{
  g_autoptr(GList) old = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  SesameWindow *window;

  window = sesame_window_new (self, self->store);
  gtk_window_present (GTK_WINDOW (window));
  for (GList *l = old; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  return window;
}

static void
remove_demo_folder (SesameApplication *self)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (self->demo_folder == NULL)
    return;
  dir = g_dir_open (self->demo_folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->demo_folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (self->demo_folder);
  g_clear_pointer (&self->demo_folder, g_free);
}

/* A demo directory goes into a store of its own, in a temporary folder:
 * the real store, empty on a first start, is never written. */
static void
try_demo_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SesameApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) demo = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  SesameWindow *window;

  if (self->demo_folder != NULL || self->store == NULL)
    return;

  folder = g_dir_make_tmp ("sesame-demo-XXXXXX", &error);
  if (folder != NULL)
    {
      path = g_build_filename (folder, "demo.sesame", NULL);
      demo = sesame_store_open_full (path, SESAME_STORE_OPEN_CREATE, &error);
    }
  if (demo == NULL)
    {
      GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
      GtkWidget *dialog = adw_message_dialog_new (parent, _("The Demo Directory Could Not Be Opened"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      if (folder != NULL)
        g_rmdir (folder);
      return;
    }

  self->demo_folder = g_steal_pointer (&folder);
  self->real_store = g_steal_pointer (&self->store);
  self->store = g_steal_pointer (&demo);
  window = replace_windows (self);
  sesame_welcome_page_import_demo (SESAME_WELCOME_PAGE (sesame_window_get_welcome_page (window)));
}

/* Back to the real store; the demo store and its folder go. */
static void
leave_demo_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  SesameApplication *self = user_data;
  g_autoptr(SesameStore) demo = NULL;

  if (self->demo_folder == NULL)
    return;

  demo = g_steal_pointer (&self->store);
  self->store = g_steal_pointer (&self->real_store);
  /* The folder goes with the last window on it. */
  {
    g_autofree char *folder = g_steal_pointer (&self->demo_folder);

    replace_windows (self);
    self->demo_folder = g_steal_pointer (&folder);
  }
  g_clear_object (&demo);
  remove_demo_folder (self);
}

/* The store's file and the two SQLite keeps beside it in WAL mode. */
static const char * const store_suffixes[] = { "", "-wal", "-shm" };

/**
 * sesame_application_adopt_joined_store:
 * @self: a #SesameApplication
 * @joined_path: the store sesame_sync_client_join() made, closed
 * @error: return location for a #GError
 *
 * After the welcome page joined a server: the desk's store takes the
 * place of the empty one the application opened, so that Sésame opens it
 * from now on, and a window opens on it at the sign-in page. The empty
 * store is replaced only once nothing holds it open (SQLite must never
 * have a file renamed under it); otherwise the desk's store is used where
 * it is, and a warning says so.
 *
 * Returns: whether a window is open on the desk's store
 */
gboolean
sesame_application_adopt_joined_store (SesameApplication  *self,
                                       const char         *joined_path,
                                       GError            **error)
{
  g_autoptr(GList) old_windows = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SesameStore) joined = NULL;
  SesameStore *old;
  gboolean replace;
  gint64 deadline;

  g_return_val_if_fail (SESAME_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (joined_path != NULL, FALSE);
  g_return_val_if_fail (self->store != NULL && self->demo_folder == NULL, FALSE);

  path = g_strdup (sesame_store_get_path (self->store));
  /* Only a store with nothing in it gives way. */
  replace = sesame_store_is_empty (self->store);

  old_windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  g_application_hold (G_APPLICATION (self));
  for (GList *l = old_windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  old = self->store;
  g_object_add_weak_pointer (G_OBJECT (old), (gpointer *) &old);
  g_clear_object (&self->store);
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (old != NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  if (old != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (old), (gpointer *) &old);
      replace = FALSE;
    }

  if (replace)
    {
      for (guint i = 0; i < G_N_ELEMENTS (store_suffixes); i++)
        {
          g_autofree char *target = g_strconcat (path, store_suffixes[i], NULL);
          g_autofree char *source = g_strconcat (joined_path, store_suffixes[i], NULL);

          g_unlink (target);
          if (g_file_test (source, G_FILE_TEST_EXISTS) && g_rename (source, target) != 0)
            {
              int saved = errno;

              g_warning ("Cannot move %s to %s: %s", source, target, g_strerror (saved));
              replace = FALSE;
              break;
            }
        }
    }
  else
    g_warning ("The store %s is still open: this desk's store stays at %s; start Sésame with --store %s",
               path, joined_path, joined_path);

  joined = sesame_store_open (replace ? path : joined_path, error);
  if (joined == NULL)
    {
      /* Back to a store of some kind, so that a window can say why. */
      self->store = sesame_store_open_full (path, SESAME_STORE_OPEN_CREATE, NULL);
      if (self->store != NULL)
        open_window (self);
      g_application_release (G_APPLICATION (self));
      return FALSE;
    }
  self->store = g_steal_pointer (&joined);
  open_window (self);
  g_application_release (G_APPLICATION (self));
  return TRUE;
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "show-preferences", show_preferences_action, "s" },
  { "try-demo", try_demo_action },
  { "leave-demo", leave_demo_action },
};

static void
sesame_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.import", { "<Control>i", NULL } },
    { "win.find", { "<Control>f", NULL } },
    { "win.journal", { "<Control>h", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };
  SesameApplication *self = SESAME_APPLICATION (app);

  G_APPLICATION_CLASS (sesame_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}

static void
sesame_application_dispose (GObject *object)
{
  SesameApplication *self = SESAME_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->real_store);
  g_clear_object (&self->settings);
  remove_demo_folder (self);

  G_OBJECT_CLASS (sesame_application_parent_class)->dispose (object);
}

static void
sesame_application_finalize (GObject *object)
{
  SesameApplication *self = SESAME_APPLICATION (object);

  g_free (self->store_path);
  g_free (self->operator_login);

  G_OBJECT_CLASS (sesame_application_parent_class)->finalize (object);
}

static void
sesame_application_class_init (SesameApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sesame_application_dispose;
  object_class->finalize = sesame_application_finalize;

  app_class->handle_local_options = sesame_application_handle_local_options;
  app_class->startup = sesame_application_startup;
  app_class->activate = sesame_application_activate;
}

static void
sesame_application_init (SesameApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Hands out ENT accounts to pupils and parents."));
}
