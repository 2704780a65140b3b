/* sesame-search-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-search-page.h"
#include "sesame-search-runner.h"

G_BEGIN_DECLS

/* How many results a search shows at first, and adds at each "Show More". */
#define SESAME_SEARCH_PAGE_SIZE 500
/* "Select All" reaches that far: the most a search returns. */
#define SESAME_SEARCH_SELECT_ALL_LIMIT 100000

/* The columns of the results that make way in a narrow window. */
enum {
  SEARCH_COLUMN_LOGIN,
  SEARCH_COLUMN_PROFILE,
  SEARCH_COLUMN_ESTABLISHMENT,
  SEARCH_COLUMN_CLASSES,
  N_SEARCH_COLUMNS
};

struct _SesameSearchPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkStack           *content_stack;
  AdwLeaflet         *leaflet;
  GtkStack           *mode_stack;
  GtkSearchEntry     *simple_entry;
  GtkDropDown        *establishment_dropdown;
  GtkSearchEntry     *last_name_entry;
  GtkSearchEntry     *first_name_entry;
  GtkDropDown        *profile_dropdown;
  GtkDropDown        *subject_dropdown;
  GtkSearchEntry     *class_entry;
  GtkDropDown        *state_dropdown;
  GtkSearchEntry     *login_entry;
  GtkSearchEntry     *key_entry;
  GtkStack           *results_stack;
  GtkLabel           *count_label;
  GtkButton          *more_button;
  AdwStatusPage      *initial_status;
  AdwStatusPage      *empty_status;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
  SesamePersonView   *person_view;

  /* Owned references */
  SesameStore        *store;
  GSettings          *settings;
  SesameSearchRunner *runner;
  GtkSortListModel   *sorted;
  GtkMultiSelection  *selection;
  GPtrArray          *establishment_uais;
  GCancellable       *cancellable;
  GtkNativeDialog    *chooser;
  GPtrArray          *subjects;
  GHashTable         *reselect;           /* keys selected before a search ran again */
  char               *text_searched;      /* set by sesame_search_page_set_text(), searched at once */
  GtkColumnViewColumn *columns[N_SEARCH_COLUMNS];

  /* State */
  guint               limit;              /* of the results shown */
  guint               narrow_idle;
  guint               narrow : 2;         /* how many columns gave way */
  guint               select_all_pending : 1;
  guint               new_criteria : 1;
};

void        _sesame_search_page_class_actions_init (SesameSearchPageClass *klass);
void        _sesame_search_page_update_actions     (SesameSearchPage      *self);
GPtrArray  *_sesame_search_page_dup_selected       (SesameSearchPage      *self);
void        _sesame_search_page_run                (SesameSearchPage      *self);
void        _sesame_search_page_browse_groups      (SesameSearchPage      *self);

G_END_DECLS
