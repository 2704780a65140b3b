/* sesame-search-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Recherche": simple search as you type, advanced search (establishment,
 * names, profile, subject, class or group, state) and technical search
 * (login, directory key). Results in a sortable table with check boxes
 * and, on each row, the two things done most at the desk: change the
 * login, regenerate the password. A person opens in the details view.
 * Searches run off the main thread (SesameSearchRunner); a search shows
 * a page of results at a time, "Show More" adds the next.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-establishments.h"
#include "sesame-search-page-private.h"
#include "sesame-ui-util.h"

/* The page's width under which columns give way, in the order of
 * SEARCH_COLUMN_*: the establishment and classes first, then the profile
 * and login (the name cell still says why a row matched). */
#define NARROW_1 1000
#define NARROW_2 720

G_DEFINE_FINAL_TYPE (SesameSearchPage, sesame_search_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_MODE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
entry_text (GtkSearchEntry *entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static SesameSearchQuery *
build_query (SesameSearchPage *self)
{
  SesameSearchQuery *query = sesame_search_query_new ();
  const char *mode = gtk_stack_get_visible_child_name (self->mode_stack);
  guint selected;

  query->limit = self->limit;
  if (g_strcmp0 (mode, "advanced") == 0)
    {
      selected = gtk_drop_down_get_selected (self->establishment_dropdown);
      if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected <= self->establishment_uais->len)
        query->establishment = g_strdup (g_ptr_array_index (self->establishment_uais, selected - 1));
      query->last_name = g_strdup (entry_text (self->last_name_entry));
      query->first_name = g_strdup (entry_text (self->first_name_entry));
      selected = gtk_drop_down_get_selected (self->profile_dropdown);
      if (selected != GTK_INVALID_LIST_POSITION && selected < SESAME_N_PROFILES)
        query->profile = selected;
      selected = gtk_drop_down_get_selected (self->subject_dropdown);
      if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected <= self->subjects->len)
        query->subject = g_strdup (g_ptr_array_index (self->subjects, selected - 1));
      query->class_name = g_strdup (entry_text (self->class_entry));
      selected = gtk_drop_down_get_selected (self->state_dropdown);
      if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
        query->state = (int) selected - 1;
    }
  else if (g_strcmp0 (mode, "technical") == 0)
    {
      query->login = g_strdup (entry_text (self->login_entry));
      query->login_prefix = TRUE;
      query->key = g_strdup (entry_text (self->key_entry));
    }
  else
    query->text = g_strdup (entry_text (self->simple_entry));

  return query;
}

static void
update_count (SesameSearchPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  guint n_selected = 0;
  g_autofree char *text = NULL;
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  n_selected = gtk_bitset_get_size (selected);
  if (sesame_search_runner_get_truncated (self->runner) && n_selected > 0)
    /* Translators: "The first 500 results, 3 selected: more people match" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The first %u results, %u selected: more people match",
                                         "The first %u results, %u selected: more people match", n),
                            n, n_selected);
  else if (sesame_search_runner_get_truncated (self->runner))
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The first %u results: more people match, show more or narrow the search",
                                         "The first %u results: more people match, show more or narrow the search", n),
                            n);
  else if (n_selected > 0)
    /* Translators: "12 results, 3 selected" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result, %u selected", "%u results, %u selected", n),
                            n, n_selected);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result", "%u results", n), n);
  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button),
                          sesame_search_runner_get_truncated (self->runner) &&
                          self->limit < SESAME_SEARCH_SELECT_ALL_LIMIT);
  _sesame_search_page_update_actions (self);
}

/* What the empty pages advise depends on what can be typed. */
static void
update_status_pages (SesameSearchPage *self)
{
  const char *mode = gtk_stack_get_visible_child_name (self->mode_stack);

  if (g_strcmp0 (mode, "technical") == 0)
    {
      adw_status_page_set_title (self->initial_status, _("Find an Account"));
      adw_status_page_set_description (self->initial_status,
                                       _("Type the beginning of a login, current or former, or a directory key, "
                                         "with or without its academy prefix."));
      adw_status_page_set_description (self->empty_status,
                                       _("No login begins this way and no person has this directory key. "
                                         "Check the spelling, or type fewer letters of the login."));
    }
  else if (g_strcmp0 (mode, "advanced") == 0)
    {
      adw_status_page_set_title (self->initial_status, _("Find People"));
      adw_status_page_set_description (self->initial_status,
                                       _("Choose an establishment, a profile, a subject, a class or group, or type "
                                         "the beginning of a name."));
      adw_status_page_set_description (self->empty_status,
                                       _("Nobody meets all these criteria: remove one of them."));
    }
  else
    {
      adw_status_page_set_title (self->initial_status, _("Find a Person"));
      adw_status_page_set_description (self->initial_status,
                                       _("Type a name to find a pupil, a parent or a member of staff, then open them "
                                         "to read their login or regenerate their password."));
      adw_status_page_set_description (self->empty_status,
                                       _("Check the spelling, or type only the beginning of the name or of the login."));
    }
}

void
_sesame_search_page_run (SesameSearchPage *self)
{
  g_autoptr(SesameSearchQuery) query = NULL;

  if (self->runner == NULL)
    return;

  update_status_pages (self);

  /* The same search again (more results, a change made elsewhere): the
   * people selected stay selected. */
  g_clear_pointer (&self->reselect, g_hash_table_unref);
  if (!self->new_criteria)
    {
      g_autoptr(GPtrArray) selected = _sesame_search_page_dup_selected (self);

      if (selected->len > 0)
        self->reselect = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < selected->len; i++)
        g_hash_table_add (self->reselect, g_strdup (sesame_person_get_key (g_ptr_array_index (selected, i))));
    }
  self->new_criteria = FALSE;

  query = build_query (self);
  if (sesame_search_query_is_empty (query))
    {
      self->select_all_pending = FALSE;
      gtk_widget_set_visible (GTK_WIDGET (self->more_button), FALSE);
      sesame_search_runner_clear (self->runner);
      gtk_stack_set_visible_child_name (self->results_stack, "initial");
      gtk_label_set_label (self->count_label, "");
      _sesame_search_page_update_actions (self);
      return;
    }
  sesame_search_runner_search (self->runner, query);
}

static void
criteria_changed_cb (SesameSearchPage *self)
{
  /* New criteria: the first page of their results. */
  self->limit = SESAME_SEARCH_PAGE_SIZE;
  self->select_all_pending = FALSE;
  self->new_criteria = TRUE;
  _sesame_search_page_run (self);
}

static void
simple_search_changed_cb (SesameSearchPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->simple_entry));
  gboolean searched = g_strcmp0 (text, self->text_searched) == 0;

  /* Text set by sesame_search_page_set_text() was searched at once; the
   * entry tells of it again after its search delay. Searching again as
   * new criteria would drop what was selected meanwhile. */
  g_clear_pointer (&self->text_searched, g_free);
  if (!searched)
    criteria_changed_cb (self);
}

static void
open_row (SesameSearchPage *self,
          guint             position)
{
  g_autoptr(SesamePerson) person = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (person != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "search.open", "s", sesame_person_get_key (person));
}

static void
simple_activate_cb (SesameSearchPage *self)
{
  /* Enter opens the only result. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) == 1)
    open_row (self, 0);
}

static void
row_activated_cb (SesameSearchPage *self,
                  guint             position)
{
  open_row (self, position);
}

static void
leaflet_page_cb (SesameSearchPage *self)
{
  _sesame_search_page_update_actions (self);
}

static void
person_changed_cb (SesameSearchPage *self)
{
  /* A login changed: the table shows it. */
  _sesame_search_page_run (self);
}

static void
search_finished_cb (SesameSearchPage *self)
{
  guint n = g_list_model_get_n_items (sesame_search_runner_get_results (self->runner));

  gtk_stack_set_visible_child_name (self->results_stack, n > 0 ? "results" : "empty");
  if (self->reselect != NULL && !self->select_all_pending)
    {
      GListModel *shown = G_LIST_MODEL (self->sorted);
      guint n_shown = g_list_model_get_n_items (shown);
      g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
      g_autoptr(GtkBitset) mask = gtk_bitset_new_range (0, n_shown);

      for (guint i = 0; i < n_shown; i++)
        {
          g_autoptr(SesamePerson) person = g_list_model_get_item (shown, i);

          if (g_hash_table_contains (self->reselect, sesame_person_get_key (person)))
            gtk_bitset_add (selected, i);
        }
      gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
    }
  g_clear_pointer (&self->reselect, g_hash_table_unref);
  if (self->select_all_pending)
    {
      self->select_all_pending = FALSE;
      gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
      if (sesame_search_runner_get_truncated (self->runner))
        {
          g_autofree char *message = g_strdup_printf (_("Only the first %u people are selected: a selection stops there. "
                                                        "Narrow the search to reach the others."), n);

          sesame_show_toast (GTK_WIDGET (self), message);
        }
    }
  update_count (self);
}

static void
search_failed_cb (SesameSearchPage *self,
                  const GError     *error)
{
  self->select_all_pending = FALSE;
  gtk_stack_set_visible_child_name (self->results_stack, "empty");
  gtk_label_set_label (self->count_label, error->message);
}

static void
busy_cb (SesameSearchPage *self)
{
  gboolean busy = sesame_search_runner_get_busy (self->runner);

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
selection_changed_cb (SesameSearchPage *self)
{
  update_count (self);
}

static void
load_establishments (SesameSearchPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) establishments = NULL;

  g_ptr_array_set_size (self->establishment_uais, 0);
  gtk_string_list_append (names, _("Any establishment"));
  establishments = sesame_establishments_list (self->store, NULL);
  for (guint i = 0; establishments != NULL && i < establishments->len; i++)
    {
      SesameEstablishment *establishment = g_ptr_array_index (establishments, i);
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), establishment->name, establishment->uai);

      gtk_string_list_append (names, label);
      g_ptr_array_add (self->establishment_uais, g_strdup (establishment->uai));
    }
  g_signal_handlers_block_by_func (self->establishment_dropdown, criteria_changed_cb, self);
  gtk_drop_down_set_model (self->establishment_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->establishment_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->establishment_dropdown, criteria_changed_cb, self);
}

static void
load_subjects (SesameSearchPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) subjects = NULL;
  g_autofree char *selected = NULL;
  guint position = 0;
  guint current = gtk_drop_down_get_selected (self->subject_dropdown);

  if (current != GTK_INVALID_LIST_POSITION && current > 0 && current <= self->subjects->len)
    selected = g_strdup (g_ptr_array_index (self->subjects, current - 1));

  g_ptr_array_set_size (self->subjects, 0);
  gtk_string_list_append (names, _("Any subject"));
  subjects = sesame_search_list_subjects (self->store, NULL, NULL);
  for (guint i = 0; subjects != NULL && i < subjects->len; i++)
    {
      const char *subject = g_ptr_array_index (subjects, i);

      gtk_string_list_append (names, subject);
      g_ptr_array_add (self->subjects, g_strdup (subject));
      if (g_strcmp0 (subject, selected) == 0)
        position = i + 1;
    }
  g_signal_handlers_block_by_func (self->subject_dropdown, criteria_changed_cb, self);
  gtk_drop_down_set_model (self->subject_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->subject_dropdown, position);
  g_signal_handlers_unblock_by_func (self->subject_dropdown, criteria_changed_cb, self);
}

/**
 * sesame_search_page_reload:
 * @self: a #SesameSearchPage
 *
 * Reads the operator's permissions and the establishments again, and runs
 * the search again.
 */
void
sesame_search_page_reload (SesameSearchPage *self)
{
  gboolean allowed;

  g_return_if_fail (SESAME_IS_SEARCH_PAGE (self));

  if (self->store == NULL)
    return;

  allowed = sesame_store_operator_can (self->store, SESAME_PERMISSION_SEARCH);
  gtk_stack_set_visible_child_name (self->content_stack, allowed ? "search" : "denied");
  if (!allowed)
    {
      sesame_search_runner_clear (self->runner);
      _sesame_search_page_update_actions (self);
      return;
    }

  load_establishments (self);
  load_subjects (self);
  _sesame_search_page_run (self);
  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "details") == 0)
    sesame_person_view_refresh (self->person_view);
  _sesame_search_page_update_actions (self);
}

/**
 * sesame_search_page_refresh:
 * @self: a #SesameSearchPage
 *
 * Reads the results and the person shown again after other desks changed
 * the store, without disturbing the operator: the criteria, the people
 * selected and the person open stay as they are. A person who no longer
 * exists closes, back to the results.
 */
void
sesame_search_page_refresh (SesameSearchPage *self)
{
  g_return_if_fail (SESAME_IS_SEARCH_PAGE (self));

  if (self->store == NULL || !sesame_store_operator_can (self->store, SESAME_PERMISSION_SEARCH))
    return;

  /* The same criteria: the selection is kept (_sesame_search_page_run). */
  _sesame_search_page_run (self);
  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "details") == 0)
    {
      SesamePerson *person = sesame_person_view_get_person (self->person_view);
      g_autofree char *key = person != NULL ? g_strdup (sesame_person_get_key (person)) : NULL;
      g_autoptr(GError) error = NULL;

      if (key != NULL && !sesame_person_view_show (self->person_view, key, &error))
        {
          g_debug ("The person shown is gone: %s", error->message);
          adw_leaflet_set_visible_child_name (self->leaflet, "results");
        }
    }
  _sesame_search_page_update_actions (self);
}

void
sesame_search_page_focus_search (SesameSearchPage *self)
{
  const char *mode;

  g_return_if_fail (SESAME_IS_SEARCH_PAGE (self));

  adw_leaflet_set_visible_child_name (self->leaflet, "results");
  mode = gtk_stack_get_visible_child_name (self->mode_stack);
  if (g_strcmp0 (mode, "advanced") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->last_name_entry));
  else if (g_strcmp0 (mode, "technical") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->login_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->simple_entry));
}

/**
 * sesame_search_page_set_text:
 * @self: a #SesameSearchPage
 * @text: what to look for
 *
 * Types @text in the simple search field and searches at once.
 */
void
sesame_search_page_set_text (SesameSearchPage *self,
                             const char       *text)
{
  g_return_if_fail (SESAME_IS_SEARCH_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "search.mode", "s", "simple");
  g_signal_handlers_block_by_func (self->simple_entry, simple_search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->simple_entry), text ? text : "");
  g_signal_handlers_unblock_by_func (self->simple_entry, simple_search_changed_cb, self);
  /* An empty text is told at once (blocked above), any other after the
   * entry's search delay. */
  g_clear_pointer (&self->text_searched, g_free);
  if (text != NULL && *text != '\0')
    self->text_searched = g_strdup (text);
  criteria_changed_cb (self);
}

/**
 * sesame_search_page_get_text:
 * @self: a #SesameSearchPage
 *
 * Returns: the text typed in the simple search
 */
const char *
sesame_search_page_get_text (SesameSearchPage *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->simple_entry));
}

/**
 * sesame_search_page_get_results:
 * @self: a #SesameSearchPage
 *
 * Returns: (transfer none): the results as shown, #SesamePerson items
 */
GListModel *
sesame_search_page_get_results (SesameSearchPage *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_PAGE (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

GtkSelectionModel *
sesame_search_page_get_selection (SesameSearchPage *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

gboolean
sesame_search_page_get_busy (SesameSearchPage *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_PAGE (self), FALSE);
  return self->runner != NULL && sesame_search_runner_get_busy (self->runner);
}

SesamePersonView *
sesame_search_page_get_person_view (SesameSearchPage *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_PAGE (self), NULL);
  return self->person_view;
}

/**
 * sesame_search_page_get_view:
 * @self: a #SesameSearchPage
 *
 * Returns: "results" or "details"
 */
const char *
sesame_search_page_get_view (SesameSearchPage *self)
{
  g_return_val_if_fail (SESAME_IS_SEARCH_PAGE (self), NULL);
  return adw_leaflet_get_visible_child_name (self->leaflet);
}

/* Columns */

static char *
last_name_text (gpointer item)
{
  return g_utf8_strup (sesame_person_get_last_name (item), -1);
}

static char *
first_name_text (gpointer item)
{
  return g_strdup (sesame_person_get_first_name (item));
}

static char *
profile_text (gpointer item)
{
  return g_strdup (sesame_profile_to_label (sesame_person_get_profile (item)));
}

static char *
state_text (gpointer item)
{
  /* Academy staff have no account of Sésame's to be pending or active. */
  if (!sesame_person_is_distributable (item))
    return g_strdup (C_("account state", "Academic"));
  return g_strdup (sesame_account_state_to_label (sesame_person_get_state (item)));
}

static char *
establishment_text (gpointer item)
{
  return g_strdup (sesame_person_get_field (item, SESAME_PERSON_ESTABLISHMENT_NAME));
}

static char *
classes_text (gpointer item)
{
  return sesame_person_dup_classes_label (item);
}

static void
choice_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
choice_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkStringObject *item = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), gtk_string_object_get_string (item));
}

/* A choice shortened in the button, so that long establishment names do not
 * widen a narrow window, and shown in full in the list. */
static void
setup_dropdown (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) button = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_signal_connect (button, "setup", G_CALLBACK (choice_setup), GINT_TO_POINTER (TRUE));
  g_signal_connect (button, "bind", G_CALLBACK (choice_bind), NULL);
  g_signal_connect (list, "setup", G_CALLBACK (choice_setup), GINT_TO_POINTER (FALSE));
  g_signal_connect (list, "bind", G_CALLBACK (choice_bind), NULL);
  gtk_drop_down_set_factory (dropdown, button);
  gtk_drop_down_set_list_factory (dropdown, list);
}

static char *
login_text (gpointer item)
{
  return g_strdup (sesame_person_get_login (item));
}

/* The check box of a row: it shows and changes whether the row is
 * selected, so that people can be picked one by one without a modifier
 * key, as on the vendor's screens. */
static void
check_toggled_cb (GtkCheckButton *check,
                  GtkListItem    *list_item)
{
  SesameSearchPage *self = g_object_get_data (G_OBJECT (check), "page");
  guint position = gtk_list_item_get_position (list_item);
  gboolean active = gtk_check_button_get_active (check);

  if (position == GTK_INVALID_LIST_POSITION || active == gtk_list_item_get_selected (list_item))
    return;
  if (active)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, FALSE);
  else
    gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (self->selection), position);
}

static void
check_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             SesameSearchPage         *self)
{
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _("Select this person"));
  g_object_set_data (G_OBJECT (check), "page", self);
  g_object_bind_property (list_item, "selected", check, "active", G_BINDING_SYNC_CREATE);
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), list_item);
  gtk_list_item_set_child (list_item, check);
}

/* The surname, and under it why the row matched when the names do not
 * say it: a birth name, a former login. */
static void
name_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *match = gtk_label_new (NULL);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (name), 8);
  gtk_label_set_xalign (GTK_LABEL (match), 0);
  gtk_label_set_ellipsize (GTK_LABEL (match), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (match), 8);
  gtk_widget_add_css_class (match, "caption");
  gtk_widget_add_css_class (match, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), match);
  gtk_list_item_set_child (list_item, box);
}

static void
name_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  SesamePerson *person = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *match = gtk_widget_get_next_sibling (name);
  g_autofree char *last_name = last_name_text (person);
  const char *reason = sesame_person_get_field (person, SESAME_PERSON_MATCH);

  gtk_label_set_label (GTK_LABEL (name), last_name);
  gtk_widget_set_tooltip_text (name, last_name);
  gtk_label_set_label (GTK_LABEL (match), reason);
  gtk_widget_set_tooltip_text (match, reason);
  gtk_widget_set_visible (match, *reason != '\0');
}

static GtkWidget *
row_button (const char *icon_name,
            const char *tooltip,
            const char *action_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  /* The action is set with its target, once the row is bound. */
  g_object_set_data (G_OBJECT (button), "action-name", (gpointer) action_name);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
actions_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_box_append (GTK_BOX (box), row_button ("document-edit-symbolic", _("Change the Login"),
                                             "search.change-login"));
  gtk_box_append (GTK_BOX (box), row_button ("view-refresh-symbolic", _("Regenerate the Password"),
                                             "search.reset-password"));
  gtk_list_item_set_child (list_item, box);
}

static void
actions_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  SesamePerson *person = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  /* Academy staff have no login or password of Sésame's to change. */
  gboolean has_account = sesame_person_is_distributable (person) && *sesame_person_get_login (person) != '\0';

  for (GtkWidget *button = gtk_widget_get_first_child (box); button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_string (sesame_person_get_key (person)));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), g_object_get_data (G_OBJECT (button), "action-name"));
      /* Kept in the layout, so that every row has the same height. */
      gtk_widget_set_sensitive (button, has_account);
      gtk_widget_set_can_target (button, has_account);
      gtk_widget_set_can_focus (button, has_account);
      gtk_widget_set_opacity (button, has_account ? 1.0 : 0.0);
    }
}

static GtkColumnViewColumn *
widget_column (const char *title,
               GCallback   setup,
               GCallback   bind,
               gpointer    user_data)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, user_data);
  if (bind != NULL)
    g_signal_connect (factory, "bind", bind, user_data);
  return gtk_column_view_column_new (title, g_steal_pointer (&factory));
}

static void
setup_columns (SesameSearchPage *self)
{
  struct {
    const char         *title;
    SesameCellTextFunc  func;
    const char         *property;
    gboolean            expand;
    int                 narrow;
  } columns[] = {
    { _("First Name"), first_name_text, "first-name", TRUE, -1 },
    { _("Login"), login_text, "login", TRUE, SEARCH_COLUMN_LOGIN },
    { _("Profile"), profile_text, "profile-label", FALSE, SEARCH_COLUMN_PROFILE },
    { _("State"), state_text, "state-label", FALSE, -1 },
    { _("Main Establishment"), establishment_text, "establishment-name", TRUE, SEARCH_COLUMN_ESTABLISHMENT },
    { _("Classes"), classes_text, "classes-label", FALSE, SEARCH_COLUMN_CLASSES },
  };
  g_autoptr(GtkColumnViewColumn) check = NULL;
  g_autoptr(GtkColumnViewColumn) name = NULL;
  g_autoptr(GtkColumnViewColumn) actions = NULL;
  g_autoptr(GtkStringSorter) name_sorter = NULL;
  GtkSorter *sorter;

  check = widget_column (NULL, G_CALLBACK (check_setup), NULL, self);
  gtk_column_view_append_column (self->column_view, check);

  name = widget_column (_("Last Name"), G_CALLBACK (name_setup), G_CALLBACK (name_bind), NULL);
  gtk_column_view_column_set_expand (name, TRUE);
  gtk_column_view_column_set_resizable (name, TRUE);
  name_sorter = gtk_string_sorter_new (gtk_property_expression_new (SESAME_TYPE_PERSON, NULL, "last-name"));
  gtk_column_view_column_set_sorter (name, GTK_SORTER (name_sorter));
  gtk_column_view_append_column (self->column_view, name);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = sesame_column_new (columns[i].title, columns[i].func,
                                                                 FALSE, columns[i].expand);
      GtkExpression *expression = gtk_property_expression_new (SESAME_TYPE_PERSON, NULL, columns[i].property);
      g_autoptr(GtkStringSorter) column_sorter = gtk_string_sorter_new (expression);

      gtk_column_view_column_set_sorter (column, GTK_SORTER (column_sorter));
      gtk_column_view_append_column (self->column_view, column);
      if (columns[i].narrow >= 0)
        self->columns[columns[i].narrow] = column;
    }

  actions = widget_column (NULL, G_CALLBACK (actions_setup), G_CALLBACK (actions_bind), NULL);
  gtk_column_view_append_column (self->column_view, actions);

  /* The store gives the results best first; the headers sort them otherwise. */
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (sorter));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

/* Narrow windows */

static gboolean
apply_narrow (gpointer data)
{
  SesameSearchPage *self = data;
  guint narrow = self->narrow;

  self->narrow_idle = 0;
  gtk_column_view_column_set_visible (self->columns[SEARCH_COLUMN_ESTABLISHMENT], narrow < 1);
  gtk_column_view_column_set_visible (self->columns[SEARCH_COLUMN_CLASSES], narrow < 1);
  gtk_column_view_column_set_visible (self->columns[SEARCH_COLUMN_PROFILE], narrow < 2);
  gtk_column_view_column_set_visible (self->columns[SEARCH_COLUMN_LOGIN], narrow < 2);
  return G_SOURCE_REMOVE;
}

/* The page lays its child out itself, as a bin does, to see its width. */
static void
sesame_search_page_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

/* Columns give way as the window narrows, the establishment first, so
 * that names, states and the row's actions stay in sight. Columns change
 * after the allocation, never during it. */
static void
sesame_search_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);
  guint narrow = width < NARROW_2 ? 2 : width < NARROW_1 ? 1 : 0;

  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);

  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->narrow_idle == 0)
        self->narrow_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_narrow, self, NULL);
    }
}

static void
set_store (SesameSearchPage *self,
           SesameStore      *store)
{
  if (!g_set_object (&self->store, store))
    return;

  g_clear_object (&self->runner);
  if (store == NULL)
    return;

  self->runner = sesame_search_runner_new (store);
  g_signal_connect_object (self->runner, "finished", G_CALLBACK (search_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "failed", G_CALLBACK (search_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "notify::busy", G_CALLBACK (busy_cb), self, G_CONNECT_SWAPPED);
  gtk_sort_list_model_set_model (self->sorted, sesame_search_runner_get_results (self->runner));
  sesame_person_view_set_store (self->person_view, store);
}

static void
sesame_search_page_dispose (GObject *object)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->runner);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_search_page_parent_class)->dispose (object);
}

static void
sesame_search_page_finalize (GObject *object)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (object);

  g_clear_pointer (&self->establishment_uais, g_ptr_array_unref);
  g_clear_pointer (&self->subjects, g_ptr_array_unref);
  g_clear_pointer (&self->reselect, g_hash_table_unref);
  g_clear_pointer (&self->text_searched, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sesame_search_page_parent_class)->finalize (object);
}

static void
sesame_search_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_MODE:
      g_value_set_string (value, gtk_stack_get_visible_child_name (self->mode_stack));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, sesame_search_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_search_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      sesame_person_view_set_settings (self->person_view, self->settings);
      break;
    case PROP_MODE:
      if (g_strcmp0 (g_value_get_string (value), gtk_stack_get_visible_child_name (self->mode_stack)) != 0 &&
          gtk_stack_get_child_by_name (self->mode_stack, g_value_get_string (value)) != NULL)
        {
          gtk_stack_set_visible_child_name (self->mode_stack, g_value_get_string (value));
          g_object_notify_by_pspec (object, pspec);
          _sesame_search_page_run (self);
          sesame_search_page_focus_search (self);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_search_page_class_init (SesameSearchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_search_page_dispose;
  object_class->finalize = sesame_search_page_finalize;
  object_class->get_property = sesame_search_page_get_property;
  object_class->set_property = sesame_search_page_set_property;
  widget_class->measure = sesame_search_page_measure;
  widget_class->size_allocate = sesame_search_page_size_allocate;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, "simple",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SESAME_TYPE_PERSON_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-search-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, simple_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, establishment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, last_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, first_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, subject_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, class_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, login_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, key_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, initial_status);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, person_view);
  gtk_widget_class_bind_template_callback (widget_class, criteria_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, simple_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, simple_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, person_changed_cb);

  _sesame_search_page_class_actions_init (klass);
}

static void
sesame_search_page_init (SesameSearchPage *self)
{
  self->establishment_uais = g_ptr_array_new_with_free_func (g_free);
  self->subjects = g_ptr_array_new_with_free_func (g_free);
  self->limit = SESAME_SEARCH_PAGE_SIZE;
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Without a layout manager, measure() and size_allocate() are called. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  setup_columns (self);
  setup_dropdown (self->establishment_dropdown);
  setup_dropdown (self->profile_dropdown);
  setup_dropdown (self->state_dropdown);
  setup_dropdown (self->subject_dropdown);
  /* Typing in the list of subjects finds one among hundreds. */
  {
    g_autoptr(GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    /* The drop-down takes its own reference. */
    gtk_drop_down_set_expression (self->subject_dropdown, expression);
  }
  _sesame_search_page_update_actions (self);
}
