/** The signed-in person (GET /okrd/api/me), loaded once by the shell and read by any page through useMe(). */
import { createContext, useContext } from 'react';
import type { Output } from '../api/client';
import type { api } from '../api/operations';

export type Me = Output<NonNullable<(typeof api.me)['schemas']>>;

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in shell');
  return me;
}
