/* sesame-search-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"
#include "sesame-person-view.h"

G_BEGIN_DECLS

#define SESAME_TYPE_SEARCH_PAGE (sesame_search_page_get_type ())

G_DECLARE_FINAL_TYPE (SesameSearchPage, sesame_search_page, SESAME, SEARCH_PAGE, AdwBin)

void              sesame_search_page_reload         (SesameSearchPage *self);
void              sesame_search_page_refresh        (SesameSearchPage *self);
void              sesame_search_page_focus_search   (SesameSearchPage *self);
void              sesame_search_page_set_text       (SesameSearchPage *self,
                                                     const char       *text);
const char       *sesame_search_page_get_text       (SesameSearchPage *self);
GListModel       *sesame_search_page_get_results    (SesameSearchPage *self);
GtkSelectionModel *sesame_search_page_get_selection (SesameSearchPage *self);
gboolean          sesame_search_page_get_busy       (SesameSearchPage *self);
SesamePersonView *sesame_search_page_get_person_view (SesameSearchPage *self);
const char       *sesame_search_page_get_view       (SesameSearchPage *self);

G_END_DECLS
