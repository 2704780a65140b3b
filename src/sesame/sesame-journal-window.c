/* sesame-journal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal: the operator's own history ("My History": who did what,
 * when, to which account, and whether the slip of a regenerated password
 * was printed), and for administrators the whole audit trail of the
 * store. Neither ever holds a password.
 *
 * Each entry reads as a sentence with the names of the persons, files and
 * establishments concerned; the sentence wraps in its column, opens whole
 * in a dialog when the row is activated, and copies to the clipboard.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-boxed-item.h"
#include "sesame-journal-window.h"
#include "sesame-notices.h"
#include "sesame-ui-util.h"

#define JOURNAL_LIMIT 1000

struct _SesameJournalWindow
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwViewStack      *stack;
  AdwViewStackPage  *all_page;
  GtkStack          *mine_stack;
  GtkColumnView     *mine_view;
  GtkColumnView     *all_view;
  AdwActionRow      *notice_row;
  GtkSwitch         *notice_switch;
  AdwToastOverlay   *toasts;

  /* Owned references */
  SesameStore       *store;
  GListStore        *mine;
  GListStore        *all;
  GtkSingleSelection *mine_selection;
  GtkSingleSelection *all_selection;
};

G_DEFINE_FINAL_TYPE (SesameJournalWindow, sesame_journal_window, ADW_TYPE_WINDOW)

static SesameAuditEntry *
item_entry (gpointer item)
{
  return sesame_boxed_item_get (SESAME_BOXED_ITEM (item));
}

static char *
when_text (gpointer item)
{
  return sesame_format_date_time (item_entry (item)->at);
}

/* The store the entries come from, to say names: set on each item. */
static SesameStore *
item_store (gpointer item)
{
  return g_object_get_data (G_OBJECT (item), "sesame-store");
}

static char *
who_text (gpointer item)
{
  return sesame_journal_dup_operator_name (item_store (item), item_entry (item));
}

static char *
what_text (gpointer item)
{
  return sesame_journal_describe_entry (item_store (item), item_entry (item));
}

static char *
account_text (gpointer item)
{
  const SesameAuditEntry *entry = item_entry (item);

  /* Entries about an account name its login; others name a file, a
   * class or a setting, which the "What" column says. */
  if (g_str_equal (entry->action, "print"))
    return sesame_audit_entry_dup_print_logins (entry);
  if (g_str_equal (entry->action, "reset-password") || g_str_equal (entry->action, "set-login") ||
      g_str_equal (entry->action, "grant-role") || g_str_equal (entry->action, "revoke-role") ||
      g_str_equal (entry->action, "grant-admin") || g_str_equal (entry->action, "revoke-admin") ||
      g_str_equal (entry->action, "activation-link-used"))
    return g_strdup (entry->target);
  return g_strdup ("");
}

static char *
slip_text (gpointer item)
{
  const SesameAuditEntry *entry = item_entry (item);
  g_autofree char *when = NULL;

  if (!g_str_equal (entry->action, "reset-password"))
    return g_strdup ("");
  if (entry->printed_at == 0)
    /* TRANSLATORS: the slip of a regenerated password was not printed */
    return g_strdup (_("Not printed"));
  when = sesame_format_date_time (entry->printed_at);
  /* TRANSLATORS: the slip of a regenerated password; %s is a date and time */
  return g_strdup_printf (_("Printed %s"), when);
}

/* The columns of both views, in order. Every cell wraps: at 600 px the
 * names and the sentence stay whole on a few lines. */
static const struct
{
  const char         *title;
  SesameCellTextFunc  func;
  gboolean            expand;
  int                 min_chars;
  int                 max_chars;
} columns[] = {
  { N_("When"), when_text, FALSE, 10, 16 },
  { N_("Who"), who_text, FALSE, 12, 32 },
  { N_("Account"), account_text, FALSE, 10, 24 },
  { N_("What"), what_text, TRUE, 22, 90 },
  /* TRANSLATORS: a column of the journal: whether the slip was printed */
  { N_("Slip"), slip_text, FALSE, 10, 24 },
};

/* A cell wraps: a long sentence or name is read whole, never cut.
 * @user_data: the index of the column */
static void
wrapping_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  guint i = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Narrow enough for 600 px, and no wider than the text asks. */
  gtk_label_set_width_chars (GTK_LABEL (label), columns[i].min_chars);
  gtk_label_set_max_width_chars (GTK_LABEL (label), columns[i].max_chars);
  gtk_list_item_set_child (list_item, label);
}

static void
wrapping_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  guint i = GPOINTER_TO_UINT (user_data);
  g_autofree char *text = columns[i].func (gtk_list_item_get_item (list_item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

/* The whole entry as one line of text: what is copied. */
static char *
entry_text (gpointer item)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *cell = columns[i].func (item);

      if (*cell == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, " — ");
      g_string_append (text, cell);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void row_activated (SesameJournalWindow *self,
                           guint                position,
                           GtkColumnView       *view);

static GtkSingleSelection *
setup_view (SesameJournalWindow *self,
            GtkColumnView       *view,
            GListStore          *model)
{
  GtkSingleSelection *selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (model)));

  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (wrapping_setup), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (wrapping_bind), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_append_column (view, column);
    }
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (view, "activate", G_CALLBACK (row_activated), self, G_CONNECT_SWAPPED);
  return selection;
}

static void
fill (SesameJournalWindow *self,
      GListStore          *model,
      GPtrArray           *entries)
{
  g_autoptr(GListStore) items = sesame_boxed_item_store_from_array (SESAME_TYPE_AUDIT_ENTRY, entries);

  g_list_store_remove_all (model);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (items)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (items), i);

      g_object_set_data_full (item, "sesame-store", g_object_ref (self->store), g_object_unref);
      g_list_store_append (model, item);
    }
}

/* The page shown: the whole trail, or the operator's history. */
static GtkSingleSelection *
visible_selection (SesameJournalWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->stack);

  return g_strcmp0 (page, "all") == 0 ? self->all_selection : self->mine_selection;
}

static void
copy_text (SesameJournalWindow *self,
           const char          *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Entry copied")));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameJournalWindow *self = SESAME_JOURNAL_WINDOW (widget);
  gpointer item = gtk_single_selection_get_selected_item (visible_selection (self));
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  text = entry_text (item);
  copy_text (self, text);
}

static void
entry_response (AdwMessageDialog    *dialog,
                const char          *response,
                SesameJournalWindow *self)
{
  if (g_str_equal (response, "copy"))
    copy_text (self, g_object_get_data (G_OBJECT (dialog), "sesame-text"));
}

/* The entry whole, in a dialog: who, when, on whom, what, the slip. */
static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameJournalWindow *self = SESAME_JOURNAL_WINDOW (widget);
  gpointer item = gtk_single_selection_get_selected_item (visible_selection (self));
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *what = NULL;
  g_autofree char *when = NULL;
  g_autofree char *who = NULL;
  g_autofree char *account = NULL;
  g_autofree char *slip = NULL;
  GtkWidget *dialog;

  if (item == NULL)
    return;
  what = what_text (item);
  when = when_text (item);
  who = who_text (item);
  account = account_text (item);
  slip = slip_text (item);

  /* TRANSLATORS: in the dialog of a journal entry; %s is a date and time */
  g_string_append_printf (body, _("On %s"), when);
  g_string_append_c (body, '\n');
  /* TRANSLATORS: in the dialog of a journal entry; %s is an operator's name */
  g_string_append_printf (body, _("By %s"), who);
  if (*account != '\0')
    {
      g_string_append_c (body, '\n');
      /* TRANSLATORS: in the dialog of a journal entry; %s is a login */
      g_string_append_printf (body, _("Account: %s"), account);
    }
  if (*slip != '\0')
    {
      g_string_append_c (body, '\n');
      /* TRANSLATORS: in the dialog of a journal entry; %s is "Not printed" or "Printed …" */
      g_string_append_printf (body, _("Slip: %s"), slip);
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), what, body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "copy", _("_Copy"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "sesame-text", entry_text (item), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (entry_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_actions (SesameJournalWindow *self)
{
  gboolean selected = gtk_single_selection_get_selected_item (visible_selection (self)) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journal.copy", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journal.show-entry", selected);
}

static void
row_activated (SesameJournalWindow *self,
               guint                position,
               GtkColumnView       *view)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));

  gtk_single_selection_set_selected (selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "journal.show-entry", NULL);
}

static void notice_switched (SesameJournalWindow *self);

/* The preference, and where the notices go or why none can. */
static void
update_notice_row (SesameJournalWindow *self)
{
  g_autofree char *address = sesame_notices_dup_operator_address (self->store);
  g_autofree char *subtitle = NULL;
  guint pending = sesame_notices_count_pending (self->store);

  if (address == NULL)
    subtitle = g_strdup (_("The directory gives no email address for you: the notice would have nowhere to go."));
  else if (pending > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "To %s, never with the password. %u notice waits for the mail server.",
                                             "To %s, never with the password. %u notices wait for the mail server.",
                                             pending),
                                address, pending);
  else
    subtitle = g_strdup_printf (_("To %s, never with the password."), address);
  adw_action_row_set_subtitle (self->notice_row, subtitle);

  g_signal_handlers_block_by_func (self->notice_switch, notice_switched, self);
  gtk_switch_set_active (self->notice_switch, sesame_notices_get_wanted (self->store));
  g_signal_handlers_unblock_by_func (self->notice_switch, notice_switched, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->notice_row), address != NULL);
}

static void
notice_switched (SesameJournalWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!sesame_notices_set_wanted (self->store, gtk_switch_get_active (self->notice_switch), &error))
    sesame_show_error (GTK_WIDGET (self), _("The Preference Was Not Saved"), error);
  update_notice_row (self);
}

/**
 * sesame_journal_window_new:
 * @store: the store
 *
 * Returns: (transfer none): a new journal window
 */
SesameJournalWindow *
sesame_journal_window_new (SesameStore *store)
{
  SesameJournalWindow *self;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gboolean whole;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  self = g_object_new (SESAME_TYPE_JOURNAL_WINDOW, NULL);
  self->store = g_object_ref (store);
  update_notice_row (self);

  mine = sesame_audit_list (store, TRUE, JOURNAL_LIMIT, NULL);
  fill (self, self->mine, mine);
  gtk_stack_set_visible_child_name (self->mine_stack, mine != NULL && mine->len > 0 ? "list" : "empty");

  whole = sesame_store_operator_can (store, SESAME_PERMISSION_VIEW_AUDIT);
  if (whole)
    all = sesame_audit_list (store, FALSE, JOURNAL_LIMIT, NULL);
  fill (self, self->all, all);
  adw_view_stack_page_set_visible (self->all_page, whole);
  if (whole)
    adw_view_stack_set_visible_child_name (self->stack, "all");
  update_actions (self);

  return self;
}

/**
 * sesame_journal_window_get_model:
 * @self: a #SesameJournalWindow
 * @own_history_only: the operator's history, or the whole trail
 *
 * Returns: (transfer none): the entries shown, #SesameBoxedItem of
 *   #SesameAuditEntry
 */
GListModel *
sesame_journal_window_get_model (SesameJournalWindow *self,
                                 gboolean             own_history_only)
{
  g_return_val_if_fail (SESAME_IS_JOURNAL_WINDOW (self), NULL);
  return G_LIST_MODEL (own_history_only ? self->mine : self->all);
}

/**
 * sesame_journal_window_dup_cell:
 * @self: a #SesameJournalWindow
 * @own_history_only: the operator's history, or the whole trail
 * @row: the row
 * @column: the column's title in English, e.g. "Slip"
 *
 * Returns: (transfer full) (nullable): the text of the cell, as shown
 */
char *
sesame_journal_window_dup_cell (SesameJournalWindow *self,
                                gboolean             own_history_only,
                                guint                row,
                                const char          *column)
{
  g_autoptr(GObject) item = NULL;

  g_return_val_if_fail (SESAME_IS_JOURNAL_WINDOW (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);

  item = g_list_model_get_item (sesame_journal_window_get_model (self, own_history_only), row);
  if (item == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (g_str_equal (columns[i].title, column))
      return columns[i].func (item);
  return NULL;
}

static void
sesame_journal_window_dispose (GObject *object)
{
  G_OBJECT_CLASS (sesame_journal_window_parent_class)->dispose (object);
}

static void
sesame_journal_window_finalize (GObject *object)
{
  SesameJournalWindow *self = SESAME_JOURNAL_WINDOW (object);

  g_clear_object (&self->mine_selection);
  g_clear_object (&self->all_selection);
  g_clear_object (&self->mine);
  g_clear_object (&self->all);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sesame_journal_window_parent_class)->finalize (object);
}

static void
sesame_journal_window_class_init (SesameJournalWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_journal_window_dispose;
  object_class->finalize = sesame_journal_window_finalize;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "journal.copy", NULL);

  gtk_widget_class_install_action (widget_class, "journal.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "journal.show-entry", NULL, show_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-journal-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, all_page);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, mine_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, mine_view);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, all_view);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, notice_row);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, notice_switch);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, toasts);
}

static void
sesame_journal_window_init (SesameJournalWindow *self)
{
  self->mine = g_list_store_new (SESAME_TYPE_BOXED_ITEM);
  self->all = g_list_store_new (SESAME_TYPE_BOXED_ITEM);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->notice_switch, "notify::active", G_CALLBACK (notice_switched),
                           self, G_CONNECT_SWAPPED);
  self->mine_selection = setup_view (self, self->mine_view, self->mine);
  self->all_selection = setup_view (self, self->all_view, self->all);
  g_signal_connect_object (self->mine_selection, "notify::selected", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->all_selection, "notify::selected", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
}
