/* sesame-cas.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sesame-types.h"

G_BEGIN_DECLS

#define SESAME_CAS_ERROR (sesame_cas_error_quark ())

/**
 * SesameCasError:
 * @SESAME_CAS_ERROR_INVALID_REQUEST: a parameter the protocol requires is
 *   missing (`ticket`, `service`)
 * @SESAME_CAS_ERROR_INVALID_TICKET: the ticket is unknown, used, expired,
 *   was not issued from a new sign-in when `renew` asks for one, or its
 *   account can no longer sign in
 * @SESAME_CAS_ERROR_INVALID_SERVICE: the ticket was issued for another
 *   service (it stops working all the same)
 * @SESAME_CAS_ERROR_UNAUTHORIZED_SERVICE: the service is not registered
 *   (sesamectl cas services add)
 * @SESAME_CAS_ERROR_INTERNAL_ERROR: the store failed
 *
 * Why a CAS validation failed: the codes of the CAS 3.0 protocol, which
 * sesame_cas_error_to_code() spells as the protocol does.
 */
typedef enum
{
  SESAME_CAS_ERROR_INVALID_REQUEST,
  SESAME_CAS_ERROR_INVALID_TICKET,
  SESAME_CAS_ERROR_INVALID_SERVICE,
  SESAME_CAS_ERROR_UNAUTHORIZED_SERVICE,
  SESAME_CAS_ERROR_INTERNAL_ERROR,
} SesameCasError;

/* How long a service ticket stays valid, in seconds. */
#define SESAME_CAS_TICKET_SECONDS 60

/* The prefix of a service ticket. */
#define SESAME_CAS_TICKET_PREFIX "ST-"

/**
 * SesameCasPage:
 * @SESAME_CAS_PAGE_UNKNOWN_SERVICE: /cas/login or /cas/logout named a
 *   service that is not registered
 * @SESAME_CAS_PAGE_SIGNED_IN: /cas/login without a service, signed in
 * @SESAME_CAS_PAGE_SIGNED_OUT: /cas/logout without a service
 * @SESAME_CAS_PAGE_ACCOUNT_DISABLED: the person signed in can no longer
 *   sign in to services (they left the establishment)
 * @SESAME_CAS_PAGE_FAILED: the server could not answer (its store failed)
 *
 * The few pages the server's CAS shows itself, for
 * sesame_cas_dup_page_text().
 */
typedef enum
{
  SESAME_CAS_PAGE_UNKNOWN_SERVICE,
  SESAME_CAS_PAGE_SIGNED_IN,
  SESAME_CAS_PAGE_SIGNED_OUT,
  SESAME_CAS_PAGE_ACCOUNT_DISABLED,
  SESAME_CAS_PAGE_FAILED,
} SesameCasPage;

GQuark       sesame_cas_error_quark   (void);
const char  *sesame_cas_error_to_code (const GError *error);
char        *sesame_cas_dup_page_text (SesameStore   *store,
                                       SesameCasPage  page,
                                       const char    *login,
                                       char         **title,
                                       char         **language);

G_END_DECLS
