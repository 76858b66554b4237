/** The names of people mentioned in the cycle's OKRs, for textOf: provided by the page, read by its items. */
import { createContext } from 'react';

export const MentionNames = createContext<(userId: string) => string>(() => '');
