/* sesame-journal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal: the operator's own history ("My History": who did what,
 * when, to which account, and whether the slip of a regenerated password
 * was printed), and for administrators the whole audit trail of the
 * store. Neither ever holds a password.
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

  /* Owned references */
  SesameStore       *store;
  GListStore        *mine;
  GListStore        *all;
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

static char *
who_text (gpointer item)
{
  return g_strdup (item_entry (item)->operator);
}

static char *
what_text (gpointer item)
{
  return sesame_audit_entry_describe (item_entry (item));
}

static char *
account_text (gpointer item)
{
  const SesameAuditEntry *entry = item_entry (item);

  /* Entries about an account name its login; others name a file, a
   * class or a setting, which the "What" column says. */
  if (g_str_equal (entry->action, "reset-password") || g_str_equal (entry->action, "print") ||
      g_str_equal (entry->action, "grant-role") || g_str_equal (entry->action, "revoke-role"))
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

/* The columns of both views, in order. */
static const struct
{
  const char         *title;
  SesameCellTextFunc  func;
  gboolean            expand;
} columns[] = {
  { N_("When"), when_text, FALSE },
  { N_("Who"), who_text, FALSE },
  { N_("Account"), account_text, FALSE },
  { N_("What"), what_text, TRUE },
  /* TRANSLATORS: a column of the journal: whether the slip was printed */
  { N_("Slip"), slip_text, FALSE },
};

static void
setup_view (GtkColumnView *view,
            GListStore    *model)
{
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (model)));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = sesame_column_new (_(columns[i].title), columns[i].func,
                                                                 FALSE, columns[i].expand);
      gtk_column_view_append_column (view, column);
    }
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
}

static void
fill (GListStore *model,
      GPtrArray  *entries)
{
  g_autoptr(GListStore) items = sesame_boxed_item_store_from_array (SESAME_TYPE_AUDIT_ENTRY, entries);

  g_list_store_remove_all (model);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (items)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (items), i);
      g_list_store_append (model, item);
    }
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
  fill (self->mine, mine);
  gtk_stack_set_visible_child_name (self->mine_stack, mine != NULL && mine->len > 0 ? "list" : "empty");

  whole = sesame_store_operator_can (store, SESAME_PERMISSION_VIEW_AUDIT);
  if (whole)
    all = sesame_audit_list (store, FALSE, JOURNAL_LIMIT, NULL);
  fill (self->all, all);
  adw_view_stack_page_set_visible (self->all_page, whole);
  if (whole)
    adw_view_stack_set_visible_child_name (self->stack, "all");

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

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-journal-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, all_page);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, mine_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, mine_view);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, all_view);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, notice_row);
  gtk_widget_class_bind_template_child (widget_class, SesameJournalWindow, notice_switch);
}

static void
sesame_journal_window_init (SesameJournalWindow *self)
{
  self->mine = g_list_store_new (SESAME_TYPE_BOXED_ITEM);
  self->all = g_list_store_new (SESAME_TYPE_BOXED_ITEM);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->notice_switch, "notify::active", G_CALLBACK (notice_switched),
                           self, G_CONNECT_SWAPPED);
  setup_view (self->mine_view, self->mine);
  setup_view (self->all_view, self->all);
}
