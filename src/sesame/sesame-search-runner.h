/* sesame-search-runner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_SEARCH_RUNNER (sesame_search_runner_get_type ())

G_DECLARE_FINAL_TYPE (SesameSearchRunner, sesame_search_runner, SESAME, SEARCH_RUNNER, GObject)

SesameSearchRunner *sesame_search_runner_new          (SesameStore              *store);
void                sesame_search_runner_set_profiles (SesameSearchRunner       *self,
                                                       const SesameProfile      *profiles,
                                                       guint                     n_profiles);
void                sesame_search_runner_search       (SesameSearchRunner       *self,
                                                       const SesameSearchQuery  *query);
void                sesame_search_runner_clear        (SesameSearchRunner       *self);
GListModel         *sesame_search_runner_get_results  (SesameSearchRunner       *self);
gboolean            sesame_search_runner_get_busy     (SesameSearchRunner       *self);
gboolean            sesame_search_runner_get_truncated (SesameSearchRunner      *self);

G_END_DECLS
