/* sesame-search-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Recherche": simple search as you type, advanced search (establishment,
 * names, profile, subject, class or group, state) and technical search
 * (login, directory key). Results in a sortable table with multiple
 * selection; a person opens in the details view. Searches run off the
 * main thread (SesameSearchRunner).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-search-page-private.h"
#include "sesame-ui-util.h"

#define SEARCH_LIMIT 5000

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

  query->limit = SEARCH_LIMIT;
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
      query->subject = g_strdup (entry_text (self->subject_entry));
      query->class_name = g_strdup (entry_text (self->class_entry));
      selected = gtk_drop_down_get_selected (self->state_dropdown);
      if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
        query->state = (int) selected - 1;
    }
  else if (g_strcmp0 (mode, "technical") == 0)
    {
      query->login = g_strdup (entry_text (self->login_entry));
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
  if (sesame_search_runner_get_truncated (self->runner))
    text = g_strdup_printf (_("The first %u results: narrow the search to see the others"), n);
  else if (n_selected > 0)
    /* Translators: "12 results, 3 selected" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result, %u selected", "%u results, %u selected", n),
                            n, n_selected);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result", "%u results", n), n);
  gtk_label_set_label (self->count_label, text);
  _sesame_search_page_update_actions (self);
}

void
_sesame_search_page_run (SesameSearchPage *self)
{
  g_autoptr(SesameSearchQuery) query = NULL;

  if (self->runner == NULL)
    return;

  query = build_query (self);
  if (sesame_search_query_is_empty (query))
    {
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
  _sesame_search_page_run (self);
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
  update_count (self);
}

static void
search_failed_cb (SesameSearchPage *self,
                  const GError     *error)
{
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
  establishments = sesame_identifier_files_list_establishments (self->store, NULL);
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
  _sesame_search_page_run (self);
  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "details") == 0)
    sesame_person_view_refresh (self->person_view);
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
  g_signal_handlers_block_by_func (self->simple_entry, criteria_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->simple_entry), text ? text : "");
  g_signal_handlers_unblock_by_func (self->simple_entry, criteria_changed_cb, self);
  _sesame_search_page_run (self);
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

static void
setup_columns (SesameSearchPage *self)
{
  struct {
    const char         *title;
    SesameCellTextFunc  func;
    const char         *property;
    gboolean            expand;
  } columns[] = {
    { _("Last Name"), last_name_text, "last-name", TRUE },
    { _("First Name"), first_name_text, "first-name", TRUE },
    { _("Profile"), profile_text, "profile-label", FALSE },
    { _("State"), state_text, "state-label", FALSE },
    { _("Main Establishment"), establishment_text, "establishment-name", TRUE },
    { _("Classes"), classes_text, "classes-label", FALSE },
  };
  GtkSorter *sorter;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = sesame_column_new (columns[i].title, columns[i].func,
                                                                 FALSE, columns[i].expand);
      GtkExpression *expression = gtk_property_expression_new (SESAME_TYPE_PERSON, NULL, columns[i].property);
      g_autoptr(GtkStringSorter) column_sorter = gtk_string_sorter_new (expression);

      gtk_column_view_column_set_sorter (column, GTK_SORTER (column_sorter));
      gtk_column_view_append_column (self->column_view, column);
    }

  /* The store gives the results in name order; the headers sort them otherwise. */
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (sorter));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
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
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, class_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, login_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, key_entry);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SesameSearchPage, person_view);
  gtk_widget_class_bind_template_callback (widget_class, criteria_changed_cb);
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
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  setup_columns (self);
  setup_dropdown (self->establishment_dropdown);
  setup_dropdown (self->profile_dropdown);
  setup_dropdown (self->state_dropdown);
  _sesame_search_page_update_actions (self);
}
