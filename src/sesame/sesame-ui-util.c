/* sesame-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every page and dialog of the window shares: dates and sizes as the
 * desk reads them, errors, toasts and confirmations, table columns. It
 * knows no page and no window type, so that any widget may use it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-ui-util.h"

/**
 * sesame_format_date_time:
 * @unix_time: seconds since the Unix epoch, or 0
 *
 * Returns: (transfer full): the local date and time, or an empty string
 */
char *
sesame_format_date_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc (unix_time);
  local = g_date_time_to_local (utc);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, C_("date and time", "%Y-%m-%d %H:%M"));
}

/**
 * sesame_format_date:
 * @unix_time: seconds since the Unix epoch, or 0
 *
 * Returns: (transfer full): the local date, or an empty string
 */
char *
sesame_format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc (unix_time);
  local = g_date_time_to_local (utc);
  /* Translators: a date, see g_date_time_format() */
  return g_date_time_format (local, C_("date", "%Y-%m-%d"));
}

/**
 * sesame_format_size:
 * @bytes: a size in bytes
 *
 * Returns: (transfer full): the exact number with digit grouping, as the
 *   table of identifier files shows it
 */
char *
sesame_format_size (gint64 bytes)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, bytes);
}

/**
 * sesame_parse_date:
 * @text: a date typed by the operator: DD/MM/YYYY or YYYY-MM-DD
 * @unix_time: (out): midnight of that day, local time
 *
 * Returns: whether @text is a date
 */
gboolean
sesame_parse_date (const char *text,
                   gint64     *unix_time)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  int day = 0, month = 0, year = 0;
  char tail;

  g_return_val_if_fail (text != NULL, FALSE);

  if (sscanf (text, " %d/%d/%d %c", &day, &month, &year, &tail) != 3 &&
      sscanf (text, " %d-%d-%d %c", &year, &month, &day, &tail) != 3)
    return FALSE;
  if (year < 1970 || year > 9999 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  tz = g_time_zone_new_local ();
  date = g_date_time_new (tz, year, month, day, 0, 0, 0);
  if (date == NULL)
    return FALSE;
  if (unix_time != NULL)
    *unix_time = g_date_time_to_unix (date);
  return TRUE;
}

/**
 * sesame_widget_get_window:
 * @widget: a widget
 *
 * Returns: (transfer none) (nullable): the window holding @widget
 */
GtkWindow *
sesame_widget_get_window (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/**
 * sesame_show_error:
 * @widget: a widget of the window the error belongs to
 * @heading: what failed, in a few words
 * @error: why
 *
 * Tells the operator that something failed and why.
 */
void
sesame_show_error (GtkWidget    *widget,
                   const char   *heading,
                   const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  dialog = adw_message_dialog_new (sesame_widget_get_window (widget), heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * sesame_activate_action:
 * @widget: a widget of a Sésame window, or of a dialog over one
 * @name: an action's name with its prefix, as "win.toast" or
 *   "app.show-preferences"
 * @parameter: (nullable): its parameter; a floating reference is sunk
 *
 * Activates @name from @widget or, when neither @widget nor its window
 * has it, from the windows its window is transient for: a dialog asks the
 * window or application below it without knowing them.
 *
 * Returns: whether some window had the action
 */
gboolean
sesame_activate_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *parameter)
{
  g_autoptr(GVariant) owned = parameter ? g_variant_ref_sink (parameter) : NULL;
  GtkWindow *window;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (gtk_widget_activate_action_variant (widget, name, owned))
    return TRUE;
  window = sesame_widget_get_window (widget);
  while (window != NULL && (window = gtk_window_get_transient_for (window)) != NULL)
    if (gtk_widget_activate_action_variant (GTK_WIDGET (window), name, owned))
      return TRUE;
  return FALSE;
}

/**
 * sesame_show_toast:
 * @widget: a widget of a Sésame window, or of a dialog over one
 * @title: a short message
 *
 * Shows a short message at the bottom of the window: activates its
 * "win.toast" action (see sesame_activate_action()). The window decides
 * where the toast goes and whether it may be shown at all; a widget in
 * no such window shows nothing.
 */
void
sesame_show_toast (GtkWidget  *widget,
                   const char *title)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (title != NULL);

  sesame_activate_action (widget, "win.toast", g_variant_new_string (title));
}

typedef struct
{
  SesameConfirmFunc func;
  gpointer          user_data;
  GDestroyNotify    user_data_free;
} Confirm;

static void
confirm_free (gpointer data)
{
  Confirm *confirm = data;

  if (confirm->user_data_free != NULL)
    confirm->user_data_free (confirm->user_data);
  g_free (confirm);
}

static void
confirm_response (AdwMessageDialog *dialog,
                  const char       *response,
                  Confirm          *confirm)
{
  if (g_strcmp0 (response, "confirm") == 0)
    confirm->func (confirm->user_data);
}

/**
 * sesame_confirm:
 * @widget: a widget of the window asking
 * @heading: the question
 * @body: (nullable): what will happen
 * @confirm_label: the label of the button that goes ahead
 * @destructive: whether going ahead destroys something
 * @func: called if the operator goes ahead
 * @user_data: data for @func
 * @user_data_free: (nullable): frees @user_data when the dialog goes
 *
 * Asks before doing something that cannot be undone. The dialog's
 * responses are "cancel" and "confirm".
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
sesame_confirm (GtkWidget         *widget,
                const char        *heading,
                const char        *body,
                const char        *confirm_label,
                gboolean           destructive,
                SesameConfirmFunc  func,
                gpointer           user_data,
                GDestroyNotify     user_data_free)
{
  GtkWidget *dialog;
  Confirm *confirm;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  confirm = g_new0 (Confirm, 1);
  confirm->func = func;
  confirm->user_data = user_data;
  confirm->user_data_free = user_data_free;

  dialog = adw_message_dialog_new (sesame_widget_get_window (widget), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sesame-confirm", confirm, confirm_free);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response), confirm);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
label_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "numeric"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
label_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  SesameCellTextFunc func = user_data;
  g_autofree char *text = func (gtk_list_item_get_item (list_item));
  GtkWidget *label = gtk_list_item_get_child (list_item);

  gtk_label_set_label (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);
}

/**
 * sesame_label_factory_new:
 * @func: gives the text of a cell
 * @numeric: whether the cells are numbers (aligned right, tabular figures)
 *
 * Returns: (transfer full): a factory of labels
 */
GtkListItemFactory *
sesame_label_factory_new (SesameCellTextFunc func,
                          gboolean           numeric)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "numeric", GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "setup", G_CALLBACK (label_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (label_bind), func);
  return factory;
}

/**
 * sesame_column_new:
 * @title: the column's header
 * @func: gives the text of a cell
 * @numeric: whether the cells are numbers
 * @expand: whether the column takes the width left
 *
 * Returns: (transfer full): a column of labels, resizable
 */
GtkColumnViewColumn *
sesame_column_new (const char         *title,
                   SesameCellTextFunc  func,
                   gboolean            numeric,
                   gboolean            expand)
{
  GtkColumnViewColumn *column;

  column = gtk_column_view_column_new (title, sesame_label_factory_new (func, numeric));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  return column;
}

/* Wrapping cells: on a narrow window a long name goes onto a second line
 * instead of being cut, and only between words. */

static void
wrap_label_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "numeric"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
wrap_label_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  SesameCellTextFunc func = user_data;
  g_autofree char *text = func (gtk_list_item_get_item (list_item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

/**
 * sesame_wrap_column_new:
 * @title: the column's header
 * @func: gives the text of a cell
 * @numeric: whether the cells are numbers
 * @expand: whether the column takes the width left
 *
 * A column whose cells are never cut: they wrap between words when the
 * column is narrow. Give names through sesame_unbreakable_name() so that
 * they never break inside.
 *
 * Returns: (transfer full): a column of wrapping labels, resizable
 */
GtkColumnViewColumn *
sesame_wrap_column_new (const char         *title,
                        SesameCellTextFunc  func,
                        gboolean            numeric,
                        gboolean            expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "numeric", GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "setup", G_CALLBACK (wrap_label_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (wrap_label_bind), func);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  return column;
}

/**
 * sesame_unbreakable_name:
 * @name: (nullable): a person's or a file's name, "Jean-Luc MARTIN"
 *
 * A name as labels show it: its hyphens non-breaking (U+2011) and its
 * spaces no-break spaces, so that "Jean-Luc" is never cut across two
 * lines.
 *
 * Returns: (transfer full): the name to show
 */
char *
sesame_unbreakable_name (const char *name)
{
  g_autoptr(GString) text = g_string_new (name);

  g_string_replace (text, "-", "\u2011", 0);
  g_string_replace (text, " ", "\u00a0", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}
