/* sesame-search-page-groups.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Browse…" beside the "Class or Group" criterion: the classes and groups
 * of the directory in a list to filter and pick from, as the vendor's
 * "Parcourir" offers, since nobody remembers how each school spells its
 * group codes. The list follows the establishment chosen, if any.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sesame-search-page-private.h"
#include "sesame-ui-util.h"

typedef struct
{
  SesameSearchPage *page;
  GtkWindow        *window;
  GtkListBox       *list;
  GtkSearchEntry   *entry;
} Picker;

static void
picker_free (Picker *picker)
{
  g_clear_object (&picker->page);
  g_free (picker);
}

static void
choose_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  Picker *picker = user_data;
  g_autoptr(SesameSearchPage) page = g_object_ref (picker->page);

  /* Setting the text runs the search, as typing it would. */
  gtk_editable_set_text (GTK_EDITABLE (page->class_entry), g_variant_get_string (parameter, NULL));
  gtk_window_destroy (picker->window);
}

static gboolean
row_visible (GtkListBoxRow *row,
             gpointer       user_data)
{
  Picker *picker = user_data;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (picker->entry));
  const char *code = g_object_get_data (G_OBJECT (row), "code");
  g_autofree char *folded_typed = g_utf8_casefold (typed, -1);
  g_autofree char *folded_code = g_utf8_casefold (code, -1);

  return *typed == '\0' || strstr (folded_code, folded_typed) != NULL;
}

static void
filter_changed_cb (GtkSearchEntry *entry,
                   Picker         *picker)
{
  gtk_list_box_invalidate_filter (picker->list);
}

static GtkWidget *
group_row (const SesameSearchGroup *group)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  if (group->is_class)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Class, %u pupil", "Class, %u pupils",
                                             group->n_pupils), group->n_pupils);
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Group, %u pupil", "Group, %u pupils",
                                             group->n_pupils), group->n_pupils);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), group->code);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "picker.choose");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (group->code));
  g_object_set_data_full (G_OBJECT (row), "code", g_strdup (group->code), g_free);
  return row;
}

/**
 * _sesame_search_page_browse_groups:
 * @self: a #SesameSearchPage
 *
 * Opens the list of the classes and groups of the directory, within the
 * establishment chosen if any; the one picked becomes the "Class or Group"
 * criterion.
 */
void
_sesame_search_page_browse_groups (SesameSearchPage *self)
{
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) choose = g_simple_action_new ("choose", G_VARIANT_TYPE_STRING);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  const char *uai = NULL;
  GtkWidget *window, *header, *box, *scrolled, *entry, *list, *status;
  Picker *picker;
  guint selected;

  g_return_if_fail (SESAME_IS_SEARCH_PAGE (self));

  selected = gtk_drop_down_get_selected (self->establishment_dropdown);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected <= self->establishment_uais->len)
    uai = g_ptr_array_index (self->establishment_uais, selected - 1);
  groups = sesame_search_list_groups (self->store, uai, &error);
  if (groups == NULL)
    {
      sesame_show_error (GTK_WIDGET (self), _("The Classes and Groups Cannot Be Listed"), error);
      return;
    }

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Classes and Groups"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), sesame_widget_get_window (GTK_WIDGET (self)));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 520);
  gtk_window_set_hide_on_close (GTK_WINDOW (window), FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  entry = gtk_search_entry_new ();
  g_object_set (entry, "placeholder-text", _("Filter the classes and groups"), NULL);
  gtk_widget_set_margin_start (entry, 12);
  gtk_widget_set_margin_end (entry, 12);
  gtk_widget_set_margin_top (entry, 6);
  gtk_widget_set_margin_bottom (entry, 6);
  gtk_box_append (GTK_BOX (box), entry);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  for (guint i = 0; i < groups->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), group_row (g_ptr_array_index (groups, i)));
  status = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Class or Group"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   groups->len == 0 ? _("The directory imported holds no class or group here.")
                                                    : _("None of them holds what is typed."));
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), status);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  picker = g_new0 (Picker, 1);
  picker->page = g_object_ref (self);
  picker->window = GTK_WINDOW (window);
  picker->list = GTK_LIST_BOX (list);
  picker->entry = GTK_SEARCH_ENTRY (entry);
  g_object_set_data_full (G_OBJECT (window), "picker", picker, (GDestroyNotify) picker_free);

  gtk_list_box_set_filter_func (GTK_LIST_BOX (list), row_visible, picker, NULL);
  g_signal_connect (entry, "search-changed", G_CALLBACK (filter_changed_cb), picker);
  /* Escape in the filter closes the window, as in any dialog. */
  g_signal_connect_swapped (entry, "stop-search", G_CALLBACK (gtk_window_close), window);
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (entry), window);

  g_signal_connect (choose, "activate", G_CALLBACK (choose_activated), picker);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (choose));
  gtk_widget_insert_action_group (window, "picker", G_ACTION_GROUP (actions));

  {
    g_autoptr(GtkEventController) keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (window, g_steal_pointer (&keys));
  }

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (entry);
}
