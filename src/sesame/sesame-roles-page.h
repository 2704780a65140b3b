/* sesame-roles-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_ROLES_PAGE (sesame_roles_page_get_type ())

G_DECLARE_FINAL_TYPE (SesameRolesPage, sesame_roles_page, SESAME, ROLES_PAGE, AdwBin)

void        sesame_roles_page_reload     (SesameRolesPage *self);
GListModel *sesame_roles_page_get_grants (SesameRolesPage *self);
gboolean    sesame_roles_page_get_busy   (SesameRolesPage *self);

G_END_DECLS
