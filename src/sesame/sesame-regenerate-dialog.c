/* sesame-regenerate-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks for the scope (an establishment) and the optional search date of a
 * new identifier file. A date in the future cannot be chosen: no account
 * was created since then. The list of establishments shows each name
 * whole, wrapped if need be, where the combo row's own list cut them.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-establishments.h"
#include "sesame-regenerate-dialog.h"
#include "sesame-ui-util.h"

struct _SesameRegenerateDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  AdwComboRow      *establishment_row;
  AdwEntryRow      *since_row;

  /* Owned references */
  GPtrArray        *uais;
  char             *body;
};

G_DEFINE_FINAL_TYPE (SesameRegenerateDialog, sesame_regenerate_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* Midnight of the day typed, or 0 when it is empty; FALSE when it is not
 * a date. */
static gboolean
parse_since (SesameRegenerateDialog *self,
             gint64                 *since)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->since_row));

  *since = 0;
  return *text == '\0' || sesame_parse_date (text, since);
}

static void
since_changed_cb (SesameRegenerateDialog *self)
{
  gint64 since;
  gboolean valid = parse_since (self, &since);
  /* No account was created after today: such a file would be empty. */
  gboolean future = valid && since > g_get_real_time () / G_USEC_PER_SEC;

  if (valid && !future)
    gtk_widget_remove_css_class (GTK_WIDGET (self->since_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->since_row), "error");
  if (self->body == NULL)
    self->body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (self)));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               future ? _("The search date is in the future: no account was created since then. "
                                          "Choose today or an earlier day.")
                                      : self->body);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "validate",
                                           valid && !future && self->uais->len > 0);
}

/**
 * sesame_regenerate_dialog_new:
 * @parent: (nullable): the window asking
 * @establishments: (element-type SesameEstablishment): the choices
 * @last_uai: (nullable): the establishment chosen last time
 *
 * Returns: (transfer none): a new dialog; its responses are "cancel" and
 *   "validate"
 */
SesameRegenerateDialog *
sesame_regenerate_dialog_new (GtkWindow  *parent,
                              GPtrArray  *establishments,
                              const char *last_uai)
{
  SesameRegenerateDialog *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_return_val_if_fail (establishments != NULL, NULL);

  self = g_object_new (SESAME_TYPE_REGENERATE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  for (guint i = 0; i < establishments->len; i++)
    {
      SesameEstablishment *establishment = g_ptr_array_index (establishments, i);
      /* Translators: an establishment in a list: "name (UAI)" */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), establishment->name, establishment->uai);

      gtk_string_list_append (names, label);
      g_ptr_array_add (self->uais, g_strdup (establishment->uai));
      if (g_strcmp0 (establishment->uai, last_uai) == 0)
        selected = i;
    }
  adw_combo_row_set_model (self->establishment_row, G_LIST_MODEL (names));
  if (establishments->len > 0)
    adw_combo_row_set_selected (self->establishment_row, selected);
  since_changed_cb (self);
  return self;
}

/**
 * sesame_regenerate_dialog_get_uai:
 * @self: a #SesameRegenerateDialog
 *
 * Returns: (nullable): the UAI of the establishment chosen
 */
const char *
sesame_regenerate_dialog_get_uai (SesameRegenerateDialog *self)
{
  guint selected;

  g_return_val_if_fail (SESAME_IS_REGENERATE_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->establishment_row);
  if (selected >= self->uais->len)
    return NULL;
  return g_ptr_array_index (self->uais, selected);
}

/**
 * sesame_regenerate_dialog_get_since:
 * @self: a #SesameRegenerateDialog
 *
 * Returns: midnight of the search date, or 0 for all accounts
 */
gint64
sesame_regenerate_dialog_get_since (SesameRegenerateDialog *self)
{
  gint64 since = 0;

  g_return_val_if_fail (SESAME_IS_REGENERATE_DIALOG (self), 0);

  if (!parse_since (self, &since))
    return 0;
  return since;
}

void
sesame_regenerate_dialog_set_since_text (SesameRegenerateDialog *self,
                                         const char             *text)
{
  g_return_if_fail (SESAME_IS_REGENERATE_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->since_row), text ? text : "");
}

static void
name_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_list_item_set_child (list_item, label);
}

static void
name_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkStringObject *name = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), gtk_string_object_get_string (name));
}

static void
sesame_regenerate_dialog_dispose (GObject *object)
{
  G_OBJECT_CLASS (sesame_regenerate_dialog_parent_class)->dispose (object);
}

static void
sesame_regenerate_dialog_finalize (GObject *object)
{
  SesameRegenerateDialog *self = SESAME_REGENERATE_DIALOG (object);

  g_clear_pointer (&self->uais, g_ptr_array_unref);
  g_clear_pointer (&self->body, g_free);

  G_OBJECT_CLASS (sesame_regenerate_dialog_parent_class)->finalize (object);
}

static void
sesame_regenerate_dialog_class_init (SesameRegenerateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_regenerate_dialog_dispose;
  object_class->finalize = sesame_regenerate_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-regenerate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameRegenerateDialog, establishment_row);
  gtk_widget_class_bind_template_child (widget_class, SesameRegenerateDialog, since_row);
  gtk_widget_class_bind_template_callback (widget_class, since_changed_cb);
}

static void
sesame_regenerate_dialog_init (SesameRegenerateDialog *self)
{
  g_autoptr(GtkListItemFactory) names = gtk_signal_list_item_factory_new ();

  self->uais = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (names, "setup", G_CALLBACK (name_setup), NULL);
  g_signal_connect (names, "bind", G_CALLBACK (name_bind), NULL);
  adw_combo_row_set_list_factory (self->establishment_row, names);
}
