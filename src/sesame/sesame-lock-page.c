/* sesame-lock-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window shows while it is locked, by the operator or after a
 * while without input: the name of the operator who is signed in and a
 * field for their passphrase, nothing else. School office computers are
 * shared by several people under one session; a locked window keeps the
 * work of whoever left the desk (their dialogs are hidden, not closed) and
 * shows none of the pupils' or parents' data to whoever sits down next.
 * Unlocking signs the same operator in again, so that a wrong passphrase is
 * throttled and audited like any other. On a desk joined to a server that
 * check may wait for the server: it runs in a thread, a spinner showing,
 * and Cancel or Escape gives up.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-lock-page.h"
#include "sesame-signin-task.h"

struct _SesameLockPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkLabel            *name_label;
  AdwPasswordEntryRow *passphrase_row;
  GtkLabel            *error_label;
  GtkWidget           *busy_box;
  GtkSpinner          *spinner;

  /* Owned references */
  SesameStore         *store;
  char                *login;
  SesameSigninRun      unlocking;
};

G_DEFINE_FINAL_TYPE (SesameLockPage, sesame_lock_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  UNLOCKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_error (SesameLockPage *self,
           const GError   *error)
{
  gtk_label_set_label (self->error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
set_busy (GtkWidget *page,
          gboolean   busy)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (page);

  gtk_widget_set_visible (self->busy_box, busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lock.unlock", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lock.cancel", busy);
}

/**
 * sesame_lock_page_start:
 * @self: a #SesameLockPage
 *
 * Shows the lock for the operator now signed in to the store.
 */
void
sesame_lock_page_start (SesameLockPage *self)
{
  g_autofree char *name = NULL;

  g_return_if_fail (SESAME_IS_LOCK_PAGE (self));
  g_return_if_fail (self->store != NULL);

  sesame_signin_run_cancel (&self->unlocking);
  g_free (self->login);
  self->login = g_strdup (sesame_store_operator_get_login (self->store));
  name = sesame_store_operator_dup_display_name (self->store);
  gtk_label_set_label (self->name_label, name);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  set_error (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

/**
 * sesame_lock_page_set_passphrase:
 * @self: a #SesameLockPage
 * @passphrase: the operator passphrase
 *
 * Fills the passphrase, as the operator would type it.
 */
void
sesame_lock_page_set_passphrase (SesameLockPage *self,
                                 const char     *passphrase)
{
  g_return_if_fail (SESAME_IS_LOCK_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), passphrase);
}

/**
 * sesame_lock_page_get_name:
 * @self: a #SesameLockPage
 *
 * Returns: the name of the operator shown on the lock
 */
const char *
sesame_lock_page_get_name (SesameLockPage *self)
{
  g_return_val_if_fail (SESAME_IS_LOCK_PAGE (self), NULL);
  return gtk_label_get_label (self->name_label);
}

/**
 * sesame_lock_page_get_error:
 * @self: a #SesameLockPage
 *
 * Returns: why the last unlocking was refused, or ""
 */
const char *
sesame_lock_page_get_error (SesameLockPage *self)
{
  g_return_val_if_fail (SESAME_IS_LOCK_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : "";
}

/**
 * sesame_lock_page_is_busy:
 * @self: a #SesameLockPage
 *
 * Returns: whether an unlocking waits for its answer
 */
gboolean
sesame_lock_page_is_busy (SesameLockPage *self)
{
  g_return_val_if_fail (SESAME_IS_LOCK_PAGE (self), FALSE);
  return sesame_signin_run_is_busy (&self->unlocking);
}

static void
unlocked_cb (GtkWidget    *page,
             gboolean      offline,
             const GError *error)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (page);

  if (error != NULL)
    {
      set_error (self, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }

  set_error (self, NULL);
  g_signal_emit (self, signals[UNLOCKED], 0);
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (widget);
  g_autofree char *passphrase = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  if (self->login == NULL)
    return;
  if (*passphrase == '\0')
    {
      g_set_error_literal (&error, SESAME_ERROR, SESAME_ERROR_INVALID, _("Type your operator passphrase."));
      set_error (self, error);
      return;
    }
  if (sesame_signin_run_start (&self->unlocking, self->store, self->login, passphrase))
    set_error (self, NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (widget);

  sesame_signin_run_cancel (&self->unlocking);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

/* The lock left for the sign-in of another operator: an unlocking under
 * way must not bring the previous one back. */
static void
sesame_lock_page_unmap (GtkWidget *widget)
{
  sesame_signin_run_cancel (&SESAME_LOCK_PAGE (widget)->unlocking);
  GTK_WIDGET_CLASS (sesame_lock_page_parent_class)->unmap (widget);
}

static void
passphrase_activated_cb (SesameLockPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "lock.unlock", NULL);
}

static void
sesame_lock_page_dispose (GObject *object)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (object);

  sesame_signin_run_dispose (&self->unlocking);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sesame_lock_page_parent_class)->dispose (object);
}

static void
sesame_lock_page_finalize (GObject *object)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (object);

  g_free (self->login);

  G_OBJECT_CLASS (sesame_lock_page_parent_class)->finalize (object);
}

static void
sesame_lock_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_lock_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SesameLockPage *self = SESAME_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_lock_page_class_init (SesameLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_lock_page_dispose;
  object_class->finalize = sesame_lock_page_finalize;
  object_class->get_property = sesame_lock_page_get_property;
  object_class->set_property = sesame_lock_page_set_property;
  widget_class->unmap = sesame_lock_page_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameLockPage::unlocked:
   *
   * The operator typed their passphrase: the window may show their work.
   */
  signals[UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "lock.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "lock.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "lock.cancel", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameLockPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, SesameLockPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, SesameLockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SesameLockPage, busy_box);
  gtk_widget_class_bind_template_child (widget_class, SesameLockPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);
}

static void
sesame_lock_page_init (SesameLockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lock.cancel", FALSE);
  sesame_signin_run_init (&self->unlocking, GTK_WIDGET (self), set_busy, unlocked_cb);
}
