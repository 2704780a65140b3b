/* sesame-search-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-search-page.h"
#include "sesame-search-runner.h"

G_BEGIN_DECLS

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
  GtkSearchEntry     *subject_entry;
  GtkSearchEntry     *class_entry;
  GtkDropDown        *state_dropdown;
  GtkSearchEntry     *login_entry;
  GtkSearchEntry     *key_entry;
  GtkStack           *results_stack;
  GtkLabel           *count_label;
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
};

void        _sesame_search_page_class_actions_init (SesameSearchPageClass *klass);
void        _sesame_search_page_update_actions     (SesameSearchPage      *self);
GPtrArray  *_sesame_search_page_dup_selected       (SesameSearchPage      *self);
void        _sesame_search_page_run                (SesameSearchPage      *self);

G_END_DECLS
