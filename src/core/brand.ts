/** @module Branded primitive types: an id of one kind cannot be passed where another is expected. */

declare const brandTag: unique symbol;

/** `T` tagged with the name `B`; the tag exists only for the type checker. */
export type Brand<T, B extends string> = T & { readonly [brandTag]: B };

export type CompoundId = Brand<string, 'CompoundId'>;
export type LaneId = Brand<string, 'LaneId'>;
export type PositionId = Brand<string, 'PositionId'>;
export type VehicleId = Brand<string, 'VehicleId'>;
export type HouseholdId = Brand<string, 'HouseholdId'>;
export type UserId = Brand<string, 'UserId'>;
export type KeyTag = Brand<string, 'KeyTag'>;
export type TaskId = Brand<string, 'TaskId'>;
export type ShiftId = Brand<string, 'ShiftId'>;
export type PartnerLotId = Brand<string, 'PartnerLotId'>;

/** A duration in whole minutes. */
export type Minutes = Brand<number, 'Minutes'>;
/** An instant as milliseconds since the Unix epoch (UTC); local time is Asia/Shanghai. */
export type EpochMs = Brand<number, 'EpochMs'>;
/** A calendar date `YYYY-MM-DD` in Asia/Shanghai. */
export type IsoDate = Brand<string, 'IsoDate'>;
