/**
 * The fields an MOU fills in once and shows wherever they occur. Templates refer to them as
 * `{{key}}`; a document may also define its own keys.
 */
export interface VariableDefinition {
  key: string
  label: string
  hint: string
}

export const STANDARD_VARIABLES: readonly VariableDefinition[] = [
  { key: 'district', label: 'District', hint: 'Denver Public Schools' },
  { key: 'policeDepartment', label: 'Police Department', hint: 'Denver Police Department' },
  { key: 'city', label: 'City', hint: 'the City and County of Denver' },
  { key: 'effectiveDate', label: 'Effective Date', hint: 'August 1, 2026' },
  { key: 'superintendent', label: 'Superintendent', hint: 'name of the Superintendent' },
  { key: 'chiefOfPolice', label: 'Chief of Police', hint: 'name of the Chief of Police' },
  { key: 'boardPresident', label: 'Board President', hint: 'name of the Board of Education President' },
  { key: 'districtLiaison', label: 'District Liaison', hint: 'title of the district staff member who coordinates with police' },
  { key: 'policeLiaison', label: 'Police Liaison', hint: 'title of the police supervisor who coordinates with the district' },
  { key: 'termYears', label: 'Term (years)', hint: 'two' },
  { key: 'noticeDays', label: 'Notice Period (days)', hint: '90' },
  { key: 'reviewMonths', label: 'Review Interval (months)', hint: '12' },
  { key: 'reportingPeriod', label: 'Reporting Period', hint: 'each semester' },
  { key: 'complaintDays', label: 'Complaint Response (days)', hint: '30' },
  { key: 'trainingHours', label: 'Training Hours', hint: '40' },
  { key: 'dataRetentionDays', label: 'Data Retention (days)', hint: '90' },
]

export const VARIABLE_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/

export function variableLabel(key: string): string {
  return STANDARD_VARIABLES.find((variable) => variable.key === key)?.label ?? key
}
