/* sesame-welcome-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"
#include "sesame-import-view.h"
#include "sesame-staff-picker.h"

G_BEGIN_DECLS

/**
 * SesameWelcomeStep:
 * @SESAME_WELCOME_STEP_IMPORT: the store is empty: import the directory
 * @SESAME_WELCOME_STEP_OPERATOR: say who is working at this desk
 */
typedef enum
{
  SESAME_WELCOME_STEP_IMPORT,
  SESAME_WELCOME_STEP_OPERATOR,
} SesameWelcomeStep;

#define SESAME_TYPE_WELCOME_PAGE (sesame_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (SesameWelcomePage, sesame_welcome_page, SESAME, WELCOME_PAGE, AdwBin)

void               sesame_welcome_page_start           (SesameWelcomePage *self,
                                                        SesameWelcomeStep  step);
SesameImportView  *sesame_welcome_page_get_import_view (SesameWelcomePage *self);
SesameStaffPicker *sesame_welcome_page_get_picker      (SesameWelcomePage *self);
void               sesame_welcome_page_set_passphrase  (SesameWelcomePage *self,
                                                        const char        *passphrase);
void               sesame_welcome_page_import_demo     (SesameWelcomePage *self);

G_END_DECLS
