/* sesame-person-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_PERSON_VIEW (sesame_person_view_get_type ())

G_DECLARE_FINAL_TYPE (SesamePersonView, sesame_person_view, SESAME, PERSON_VIEW, AdwBin)

void          sesame_person_view_set_store  (SesamePersonView *self,
                                             SesameStore      *store);
void          sesame_person_view_set_settings (SesamePersonView *self,
                                               GSettings        *settings);
gboolean      sesame_person_view_show       (SesamePersonView *self,
                                             const char       *key,
                                             GError          **error);
void          sesame_person_view_refresh    (SesamePersonView *self);
SesamePerson *sesame_person_view_get_person (SesamePersonView *self);
guint         sesame_person_view_get_n_history (SesamePersonView *self);
gboolean      sesame_person_view_get_login_shown (SesamePersonView *self);
void          sesame_person_view_focus_first_action (SesamePersonView *self);

G_END_DECLS
