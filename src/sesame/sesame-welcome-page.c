/* sesame-welcome-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first start: import the directory into the empty store, then set the
 * store up. Whoever sets it up chooses themselves among the staff and an
 * operator passphrase at once, and becomes its first administrator; from
 * then on everyone signs in on the sign-in page (SesameSigninPage) and
 * naming a login is never enough.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-join-dialog.h"
#include "sesame-ui-util.h"
#include "sesame-welcome-page.h"

struct _SesameWelcomePage
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkStack          *step_stack;
  SesameImportView  *import_view;
  SesameStaffPicker *picker;
  GtkLabel          *operator_description;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *passphrase_again_row;
  AdwWindowTitle    *window_title;
  GtkWidget         *leave_demo_button;
  GtkWidget         *join_button;

  /* Owned references */
  SesameStore       *store;

  guint              demo : 1;    /* the store is the one for trying a demo */
};

G_DEFINE_FINAL_TYPE (SesameWelcomePage, sesame_welcome_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DEMO,
  N_PROPS
};

enum {
  FINISHED,
  JOINED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * sesame_welcome_page_start:
 * @self: a #SesameWelcomePage
 * @step: where to begin
 *
 * Shows the first step the store needs.
 */
/* The demo store is marked, with the way back to the real one. */
static void
update_demo (SesameWelcomePage *self)
{
  gboolean demo = self->demo;

  adw_window_title_set_subtitle (self->window_title, demo ? _("Demo Directory") : NULL);
  gtk_widget_set_visible (self->leave_demo_button, demo);
  /* Only the real store joins a server, and only before it holds anything. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.join",
                                 !demo && self->store != NULL && sesame_store_is_empty (self->store));
  gtk_widget_set_visible (self->join_button, !demo && self->store != NULL && sesame_store_is_empty (self->store));
  g_object_set (self->import_view, "offer-demo", !demo, "demo-store", demo, NULL);
}

/**
 * sesame_welcome_page_import_demo:
 * @self: a #SesameWelcomePage
 *
 * Imports a demo directory into the store, which must be the demo store
 * (#SesameWelcomePage:demo).
 */
void
sesame_welcome_page_import_demo (SesameWelcomePage *self)
{
  g_return_if_fail (SESAME_IS_WELCOME_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self->import_view), "import.demo", NULL);
}

void
sesame_welcome_page_start (SesameWelcomePage *self,
                           SesameWelcomeStep  step)
{
  g_return_if_fail (SESAME_IS_WELCOME_PAGE (self));
  g_return_if_fail (self->store != NULL);

  update_demo (self);

  if (step == SESAME_WELCOME_STEP_IMPORT)
    {
      sesame_import_view_reset (self->import_view);
      gtk_stack_set_visible_child_name (self->step_stack, "import");
      return;
    }

  gtk_label_set_label (self->operator_description,
                       _("Choose yourself among the staff of the directory, then an operator passphrase: "
                         "whoever sets up Sésame becomes its administrator and can then grant the identifier "
                         "manager role to colleagues."));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_again_row), "");

  sesame_staff_picker_set_store (self->picker, self->store);
  gtk_stack_set_visible_child_name (self->step_stack, "operator");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.choose-operator",
                                 sesame_staff_picker_get_n_selected (self->picker) == 1);
  sesame_staff_picker_grab_focus (self->picker);
}

SesameImportView *
sesame_welcome_page_get_import_view (SesameWelcomePage *self)
{
  g_return_val_if_fail (SESAME_IS_WELCOME_PAGE (self), NULL);
  return self->import_view;
}

SesameStaffPicker *
sesame_welcome_page_get_picker (SesameWelcomePage *self)
{
  g_return_val_if_fail (SESAME_IS_WELCOME_PAGE (self), NULL);
  return self->picker;
}

/**
 * sesame_welcome_page_set_passphrase:
 * @self: a #SesameWelcomePage
 * @passphrase: the operator passphrase, typed in both rows
 *
 * Fills the passphrase rows, as the operator would type them.
 */
void
sesame_welcome_page_set_passphrase (SesameWelcomePage *self,
                                    const char        *passphrase)
{
  g_return_if_fail (SESAME_IS_WELCOME_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), passphrase);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_again_row), passphrase);
}

static void
import_done_cb (SesameWelcomePage *self)
{
  sesame_welcome_page_start (self, SESAME_WELCOME_STEP_OPERATOR);
}

static void
picker_selection_cb (SesameWelcomePage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.choose-operator",
                                 sesame_staff_picker_get_n_selected (self->picker) == 1);
}

static void
choose_operator_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SesameWelcomePage *self = SESAME_WELCOME_PAGE (widget);
  g_auto(GStrv) logins = sesame_staff_picker_dup_selected (self->picker);
  g_autoptr(GError) error = NULL;
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_again_row));
  gboolean ok;

  if (logins[0] == NULL)
    return;

  /* Only a new store is set up here: once it has an operator, everyone
   * signs in on the sign-in page and the core refuses a second setup. */
  if (!g_str_equal (passphrase, again))
    {
      g_set_error_literal (&error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The two passphrases differ: type the same one twice."));
      ok = FALSE;
    }
  else
    ok = sesame_operators_set_up (self->store, logins[0], passphrase, &error);

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_again_row), "");
  if (!ok)
    {
      sesame_show_error (widget, _("The Store Could Not Be Set Up"), error);
      return;
    }

  g_signal_emit (self, signals[FINISHED], 0);
}

static void
picker_activated_cb (SesameWelcomePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "welcome.choose-operator", NULL);
}

static void
passphrase_activated_cb (SesameWelcomePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "welcome.choose-operator", NULL);
}

/* Joined: the window puts the desk's store in this one's place. */
static void
joined_cb (SesameJoinDialog  *dialog,
           const char        *path,
           SesameWelcomePage *self)
{
  g_signal_emit (self, signals[JOINED], 0, path);
}

static void
join_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameWelcomePage *self = SESAME_WELCOME_PAGE (widget);
  g_autofree char *path = g_strconcat (sesame_store_get_path (self->store), ".joining", NULL);
  SesameJoinDialog *dialog = sesame_join_dialog_new (path);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "joined", G_CALLBACK (joined_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sesame_welcome_page_dispose (GObject *object)
{
  SesameWelcomePage *self = SESAME_WELCOME_PAGE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (sesame_welcome_page_parent_class)->dispose (object);
}

static void
sesame_welcome_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SesameWelcomePage *self = SESAME_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_welcome_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SesameWelcomePage *self = SESAME_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      if (self->store != NULL)
        sesame_import_view_set_store (self->import_view, self->store);
      break;
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      update_demo (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_welcome_page_class_init (SesameWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_welcome_page_dispose;
  object_class->get_property = sesame_welcome_page_get_property;
  object_class->set_property = sesame_welcome_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SesameWelcomePage:demo:
   *
   * Whether the store is the one opened to try a demo directory, as the
   * window knows from the application: the page says so, with the way back.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameWelcomePage::finished:
   *
   * The store is set up and its operator chosen.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * SesameWelcomePage::joined:
   * @self: the page
   * @path: the desk's store, made by joining a server, closed
   *
   * This computer joined the establishment's server instead of importing:
   * the store at @path is to replace the empty one.
   */
  signals[JOINED] =
    g_signal_new ("joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "welcome.choose-operator", NULL, choose_operator_action);
  gtk_widget_class_install_action (widget_class, "welcome.join", NULL, join_action);

  g_type_ensure (SESAME_TYPE_IMPORT_VIEW);
  g_type_ensure (SESAME_TYPE_STAFF_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, step_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, import_view);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, picker);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, operator_description);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, passphrase_again_row);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, leave_demo_button);
  gtk_widget_class_bind_template_child (widget_class, SesameWelcomePage, join_button);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, picker_selection_cb);
  gtk_widget_class_bind_template_callback (widget_class, picker_activated_cb);
}

static void
sesame_welcome_page_init (SesameWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.choose-operator", FALSE);
}
