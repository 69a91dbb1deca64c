/**
 * The clock port. Core never reads the system time itself; `createSeshn({ now })` injects it.
 * `systemClock` is the one default, used only when the embedder passes none.
 * @module
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
