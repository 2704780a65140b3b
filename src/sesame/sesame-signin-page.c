/* sesame-signin-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the window starts once the store is set up: an operator types their
 * login (completed among the store's operators) and their passphrase, and
 * only then does Sésame open with what their role allows. Someone who was
 * just granted a role has no passphrase yet: with the enrolment code an
 * administrator gave them, they choose one here, the policy explained
 * before they type it. Every refusal is written in the operator's words;
 * the core says how long to wait after too many wrong attempts. On a desk
 * joined to a server the passphrase is checked in a thread: the page
 * shows a spinner meanwhile, and Cancel or Escape gives up.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-signin-page.h"
#include "sesame-signin-task.h"

struct _SesameSigninPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkStack            *step_stack;
  GtkEntry            *login_entry;
  AdwPasswordEntryRow *passphrase_row;
  GtkLabel            *error_label;
  AdwEntryRow         *enrol_login_row;
  AdwEntryRow         *code_row;
  AdwPasswordEntryRow *new_passphrase_row;
  AdwPasswordEntryRow *again_row;
  GtkLabel            *enrol_error_label;
  GtkWidget           *busy_box;
  GtkSpinner          *spinner;

  /* Owned references */
  SesameStore         *store;
  GtkListStore        *logins;
  SesameSigninRun      signing_in;
};

G_DEFINE_FINAL_TYPE (SesameSigninPage, sesame_signin_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_error (GtkLabel     *label,
           const GError *error)
{
  gtk_label_set_label (label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
}

/* The logins the completion proposes: the operators who can sign in. */
static void
load_logins (SesameSigninPage *self)
{
  g_auto(GStrv) logins = NULL;

  gtk_list_store_clear (self->logins);
  if (self->store == NULL)
    return;
  logins = sesame_operators_dup_logins (self->store);
  for (guint i = 0; logins[i] != NULL; i++)
    gtk_list_store_insert_with_values (self->logins, NULL, -1, 0, logins[i], -1);
}

static void
clear_secrets (SesameSigninPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->again_row), "");
}

/* While a sign-in is under way the form cannot be sent again, nor left for
 * the enrolment; Cancel and Escape give up. */
static void
set_busy (GtkWidget *page,
          gboolean   busy)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (page);

  gtk_widget_set_visible (self->busy_box, busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->login_entry), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.sign-in", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.show-enrolment", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.cancel", busy);
}

/**
 * sesame_signin_page_start:
 * @self: a #SesameSigninPage
 * @login: (nullable): a login to propose, e.g. from `sesame --as`
 *
 * Shows the sign-in form, empty but for @login, with the operators of the
 * store as completions.
 */
void
sesame_signin_page_start (SesameSigninPage *self,
                          const char       *login)
{
  g_return_if_fail (SESAME_IS_SIGNIN_PAGE (self));

  sesame_signin_run_cancel (&self->signing_in);
  load_logins (self);
  clear_secrets (self);
  gtk_editable_set_text (GTK_EDITABLE (self->login_entry), login != NULL ? login : "");
  gtk_editable_set_text (GTK_EDITABLE (self->enrol_login_row), "");
  set_error (self->error_label, NULL);
  set_error (self->enrol_error_label, NULL);
  gtk_stack_set_visible_child_name (self->step_stack, "sign-in");
  if (login != NULL && *login != '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->login_entry));
}

/**
 * sesame_signin_page_set_login:
 * @self: a #SesameSigninPage
 * @login: a login
 *
 * Fills the login of the sign-in form, as the operator would type it.
 */
void
sesame_signin_page_set_login (SesameSigninPage *self,
                              const char       *login)
{
  g_return_if_fail (SESAME_IS_SIGNIN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->login_entry), login);
}

/**
 * sesame_signin_page_get_login:
 * @self: a #SesameSigninPage
 *
 * Returns: the login typed in the sign-in form
 */
const char *
sesame_signin_page_get_login (SesameSigninPage *self)
{
  g_return_val_if_fail (SESAME_IS_SIGNIN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->login_entry));
}

/**
 * sesame_signin_page_set_passphrase:
 * @self: a #SesameSigninPage
 * @passphrase: the operator passphrase
 *
 * Fills the passphrase of the sign-in form, as the operator would type it.
 */
void
sesame_signin_page_set_passphrase (SesameSigninPage *self,
                                   const char       *passphrase)
{
  g_return_if_fail (SESAME_IS_SIGNIN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), passphrase);
}

/**
 * sesame_signin_page_set_enrolment:
 * @self: a #SesameSigninPage
 * @login: the login of the person enrolling
 * @code: the enrolment code they were given
 * @passphrase: the passphrase they choose
 * @again: the same passphrase, typed again
 *
 * Fills the enrolment form, as the person would type it.
 */
void
sesame_signin_page_set_enrolment (SesameSigninPage *self,
                                  const char       *login,
                                  const char       *code,
                                  const char       *passphrase,
                                  const char       *again)
{
  g_return_if_fail (SESAME_IS_SIGNIN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->enrol_login_row), login);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
  gtk_editable_set_text (GTK_EDITABLE (self->new_passphrase_row), passphrase);
  gtk_editable_set_text (GTK_EDITABLE (self->again_row), again);
}

/**
 * sesame_signin_page_get_step:
 * @self: a #SesameSigninPage
 *
 * Returns: "sign-in" or "enrol"
 */
const char *
sesame_signin_page_get_step (SesameSigninPage *self)
{
  g_return_val_if_fail (SESAME_IS_SIGNIN_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->step_stack);
}

/**
 * sesame_signin_page_get_error:
 * @self: a #SesameSigninPage
 *
 * Returns: the refusal shown under the form of the current step, or ""
 */
const char *
sesame_signin_page_get_error (SesameSigninPage *self)
{
  GtkLabel *label;

  g_return_val_if_fail (SESAME_IS_SIGNIN_PAGE (self), NULL);

  label = g_str_equal (sesame_signin_page_get_step (self), "enrol") ? self->enrol_error_label : self->error_label;
  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_label (label) : "";
}

/**
 * sesame_signin_page_is_busy:
 * @self: a #SesameSigninPage
 *
 * Returns: whether a sign-in waits for its answer
 */
gboolean
sesame_signin_page_is_busy (SesameSigninPage *self)
{
  g_return_val_if_fail (SESAME_IS_SIGNIN_PAGE (self), FALSE);
  return sesame_signin_run_is_busy (&self->signing_in);
}

static void
signed_in_cb (GtkWidget    *page,
              gboolean      offline,
              const GError *error)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (page);

  if (error != NULL)
    {
      set_error (self->error_label, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }
  if (offline)
    g_debug ("%s signed in with the desk's own verifier: the server did not answer",
             sesame_store_operator_get_login (self->store));

  set_error (self->error_label, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (widget);
  g_autofree char *login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_entry))));
  g_autofree char *passphrase = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  if (*login == '\0')
    {
      g_set_error_literal (&error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("Type your login, for example helene.roche."));
      set_error (self->error_label, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->login_entry));
      return;
    }
  if (*passphrase == '\0')
    {
      g_set_error_literal (&error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("Type your operator passphrase."));
      set_error (self->error_label, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }

  /* On a desk joined to a server, the server checks the passphrase when
   * it answers; the desk's own verifier when it does not. Either may take
   * a while: the window goes on meanwhile. */
  if (sesame_signin_run_start (&self->signing_in, self->store, login, passphrase))
    set_error (self->error_label, NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (widget);

  sesame_signin_run_cancel (&self->signing_in);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
enrol_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (widget);
  g_autofree char *login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->enrol_login_row))));
  g_autofree char *code = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  g_autofree char *passphrase = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_passphrase_row)));
  g_autofree char *again = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->again_row)));
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->new_passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->again_row), "");

  if (*login == '\0' || *code == '\0')
    g_set_error_literal (&error, SESAME_ERROR, SESAME_ERROR_INVALID,
                         _("Type your login and the enrolment code an administrator gave you."));
  else if (!g_str_equal (passphrase, again))
    g_set_error_literal (&error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                         _("The two passphrases differ: type the same one twice."));
  else if (sesame_operators_check_passphrase (self->store, login, passphrase, &error))
    sesame_enrolment_enrol (self->store, login, code, passphrase, &error);

  if (error != NULL)
    {
      set_error (self->enrol_error_label, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->new_passphrase_row));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  set_error (self->enrol_error_label, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

static void
show_enrolment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (widget);

  clear_secrets (self);
  set_error (self->enrol_error_label, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->enrol_login_row),
                         gtk_editable_get_text (GTK_EDITABLE (self->login_entry)));
  gtk_stack_set_visible_child_name (self->step_stack, "enrol");
  gtk_widget_grab_focus (GTK_WIDGET (*gtk_editable_get_text (GTK_EDITABLE (self->enrol_login_row)) != '\0'
                                     ? self->code_row : self->enrol_login_row));
}

static void
show_sign_in_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (widget);

  clear_secrets (self);
  set_error (self->error_label, NULL);
  gtk_stack_set_visible_child_name (self->step_stack, "sign-in");
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (widget);

  /* Escape gives a sign-in under way up, and leaves the enrolment, as
   * its Back button. */
  if (sesame_signin_run_is_busy (&self->signing_in))
    gtk_widget_activate_action (widget, "signin.cancel", NULL);
  else if (g_str_equal (sesame_signin_page_get_step (self), "enrol"))
    gtk_widget_activate_action (widget, "signin.show-sign-in", NULL);
}

static void
login_activated_cb (SesameSigninPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
passphrase_activated_cb (SesameSigninPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signin.sign-in", NULL);
}

static void
enrol_activated_cb (SesameSigninPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signin.enrol", NULL);
}

/* The page left, e.g. for the welcome page: a sign-in under way must not
 * open the window behind it. */
static void
sesame_signin_page_unmap (GtkWidget *widget)
{
  sesame_signin_run_cancel (&SESAME_SIGNIN_PAGE (widget)->signing_in);
  GTK_WIDGET_CLASS (sesame_signin_page_parent_class)->unmap (widget);
}

static void
sesame_signin_page_dispose (GObject *object)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (object);

  sesame_signin_run_dispose (&self->signing_in);
  g_clear_object (&self->store);
  g_clear_object (&self->logins);

  G_OBJECT_CLASS (sesame_signin_page_parent_class)->dispose (object);
}

static void
sesame_signin_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (object);

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
sesame_signin_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SesameSigninPage *self = SESAME_SIGNIN_PAGE (object);

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
sesame_signin_page_class_init (SesameSigninPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_signin_page_dispose;
  object_class->get_property = sesame_signin_page_get_property;
  object_class->set_property = sesame_signin_page_set_property;
  widget_class->unmap = sesame_signin_page_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameSigninPage::signed-in:
   *
   * An operator signed in, with their passphrase or by enrolling: the
   * store's operator is now them.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "signin.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "signin.enrol", NULL, enrol_action);
  gtk_widget_class_install_action (widget_class, "signin.show-enrolment", NULL, show_enrolment_action);
  gtk_widget_class_install_action (widget_class, "signin.show-sign-in", NULL, show_sign_in_action);
  gtk_widget_class_install_action (widget_class, "signin.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "signin.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "signin.escape", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-signin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, step_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, login_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, enrol_login_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, new_passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, again_row);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, enrol_error_label);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, busy_box);
  gtk_widget_class_bind_template_child (widget_class, SesameSigninPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, login_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, enrol_activated_cb);
}

static void
sesame_signin_page_init (SesameSigninPage *self)
{
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.cancel", FALSE);
  sesame_signin_run_init (&self->signing_in, GTK_WIDGET (self), set_busy, signed_in_cb);

  self->logins = gtk_list_store_new (1, G_TYPE_STRING);
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (self->logins));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_inline_completion (completion, TRUE);
  gtk_entry_completion_set_popup_single_match (completion, FALSE);
  gtk_entry_set_completion (self->login_entry, completion);
}
